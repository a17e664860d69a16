"""First page: the key counts and the grant totals (the charts come later)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import GrantStatus
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_decimal, format_money
from ksm_desktop.services import Services
from ksm_desktop.services.figures import GrantTotal
from ksm_desktop.ui.workers import run_in_background


class DashboardPage(QWidget):
    """Headline counts, then per programme: grants, amount and people reached (cancelled excluded)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.services = services
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        cards = QGridLayout()
        cards.setSpacing(12)
        self.count_labels: dict[str, QLabel] = {}
        titles = {
            "organisations": _("Organisations"),
            "persons": _("Members"),
            "programmes": _("Programmes"),
            "grants": _("Grants"),
        }
        for column, (key, title) in enumerate(titles.items()):
            card = QFrame()
            card.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(card)
            value = QLabel("–")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 2)
            font.setBold(True)
            value.setFont(font)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(title)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner.addWidget(value)
            inner.addWidget(caption)
            cards.addWidget(card, 0, column)
            self.count_labels[key] = value
        layout.addLayout(cards)
        heading = QLabel(_("Grants by programme (cancelled grants excluded)"))
        heading.setStyleSheet("font-weight: bold")
        layout.addWidget(heading)
        self.totals = QTableWidget(0, 5)
        self.totals.setHorizontalHeaderLabels(
            [_("Programme"), _("Grants"), _("Amount"), _("Women reached"), _("Men reached")]
        )
        self.totals.verticalHeader().hide()
        self.totals.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.totals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.totals, 1)

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        figures = self.services.figures
        run_in_background(lambda: (figures.counts(), figures.grant_totals()), self._show)

    def _show(self, result: tuple[dict[str, int], list[GrantTotal]]) -> None:
        counts, totals = result
        for key, label in self.count_labels.items():
            label.setText(format_decimal(counts.get(key, 0)))
        grouped: dict[tuple[str, str], list[GrantTotal]] = defaultdict(list)
        for total in totals:
            if total.status != GrantStatus.CANCELLED:
                grouped[(total.programme_code or _("No programme"), total.currency)].append(total)
        self.totals.setRowCount(len(grouped))
        for row, ((programme, currency), items) in enumerate(sorted(grouped.items())):
            amount = sum((t.total for t in items), Decimal("0"))
            cells = [
                programme,
                format_decimal(sum(t.count for t in items)),
                format_money(amount, currency),
                format_decimal(sum(t.women for t in items)),
                format_decimal(sum(t.men for t in items)),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
                self.totals.setItem(row, column, item)
