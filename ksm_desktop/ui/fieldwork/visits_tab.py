"""Follow-up ("Suivi") of an AGR or cooperative: the visits made, each with observations, the
monthly revenue, production and problems, the condition of the equipment delivered (a photo per
piece), and its photos and files; and a chart of revenue and production."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import AttachmentKind, AttachmentOwner
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date, format_decimal, format_money
from ksm_desktop.services import Services
from ksm_desktop.services.dto_fieldwork import VisitDTO, VisitInput
from ksm_desktop.ui.fieldwork.visit_pieces import PHOTO, PiecesTable
from ksm_desktop.ui.forms.attachments_panel import AttachmentsPanel
from ksm_desktop.ui.forms.base import FormDialog, show_message
from ksm_desktop.ui.forms.fields import AmountEdit, OptionalDateEdit
from ksm_desktop.ui.forms.organisation_dialog import fill_table, read_table, selected_id
from ksm_desktop.ui.qt_checked import cell

PHOTO_FILTER = "*.jpg *.jpeg *.png *.heic *.heif"


class VisitDialog(FormDialog):
    def __init__(
        self, services: Services, organisation_id: int, visit_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, visit_id, parent)
        self.organisation_id = organisation_id
        self.setWindowTitle(_("Follow-up visit"))
        form = QFormLayout()
        self.content.addLayout(form)
        self.visited_on = self.add_row(form, _("Date"), OptionalDateEdit(), "visited_on", required=True)
        self.visitor = self.add_row(form, _("Visitor"), QLineEdit(), "visitor", required=True)
        self.revenue = self.add_row(
            form, _("Monthly revenue (MAD)"), AmountEdit("monthly_revenue"), "monthly_revenue"
        )
        production = QWidget()
        row = QHBoxLayout(production)
        row.setContentsMargins(0, 0, 0, 0)
        self.quantity = AmountEdit("production_quantity")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(_("kg, pieces, loaves…"))
        row.addWidget(self.quantity, 1)
        row.addWidget(self.unit, 1)
        self.add_row(form, _("Production per month"), production, "production_quantity")
        self._errors["production_unit"] = self._errors["production_quantity"]
        self.watch(self.quantity, self.unit)
        self.observations = self.add_row(form, _("Observations"), QPlainTextEdit(), "observations")
        self.problems_edit = self.add_row(form, _("Problems"), QPlainTextEdit(), "problems")
        for edit in (self.observations, self.problems_edit):
            edit.setMaximumHeight(70)
        self.form = form
        self.pieces = self.add_row(form, _("Equipment delivered"), PiecesTable(), "pieces")
        self.pieces_row = form.rowCount() - 1  # hidden when the organisation received no equipment
        self.pieces.changed.connect(self._changed)
        self.pieces.photo_wanted.connect(self.add_piece_photo)
        self.attachments = AttachmentsPanel(services, AttachmentOwner.VISIT, AttachmentKind.PHOTO)
        self.attachments.setMinimumHeight(230)
        form.addRow(_("Photos and files"), self.attachments)
        self.load()

    def load(self) -> None:
        self._loading = True
        equipment = self.services.visits.equipment_of(self.organisation_id)
        self.pieces.set_pieces(equipment, ())
        self.form.setRowVisible(self.pieces_row, bool(equipment))
        if self.entity_id is not None:
            v = self.services.visits.get(self.entity_id)
            self.pieces.set_pieces(equipment, v.pieces)
            self._piece_thumbnails()
            self.visited_on.set_value(v.visited_on)
            self.visitor.setText(v.visitor)
            self.revenue.set_value(v.monthly_revenue)
            self.quantity.setText(
                "" if v.production_quantity is None else format_decimal(v.production_quantity.normalize())
            )
            self.unit.setText(v.production_unit or "")
            self.observations.setPlainText(v.observations or "")
            self.problems_edit.setPlainText(v.problems or "")
        self.attachments.set_record(self.entity_id)
        self._loading = False
        self.refresh()

    def _piece_thumbnails(self) -> None:
        """Each photographed piece shows its latest photo in its row."""
        for row, seen in self.pieces.recorded.items():
            thumbnail = self.services.attachments.thumbnail(seen.photos[-1]) if seen.photos else None
            if thumbnail:
                pixmap = QPixmap()
                pixmap.loadFromData(thumbnail)
                cell(self.pieces, row, PHOTO).setIcon(QIcon(pixmap))

    def refresh(self) -> None:
        show_message(self._errors["pieces"], self.pieces.first_error())
        super().refresh()

    def problems(self) -> list[str]:
        return super().problems() + (["pieces"] if self.pieces.errors else [])

    def error_label_for(self, field: str | None) -> QLabel | None:
        if field and field.startswith("pieces."):
            return self._errors["pieces"]
        return super().error_label_for(field)

    def add_piece_photo(self, row: int) -> None:
        """A photo of the piece on `row`, as found at this visit: the visit is saved first when
        the piece's condition is not recorded yet; a refused file is said, nothing stored."""
        piece = self.pieces.pieces[row]
        if self.read_only():
            return
        if piece.serial_id not in {p.serial_id for p in self.pieces.values()}:
            show_message(
                self._errors["pieces"], _("Tick the condition of the piece before adding its photo.")
            )
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Photo of the piece"), "", _("Photos ({patterns})").format(patterns=PHOTO_FILTER)
        )
        if not name or ((self.dirty or row not in self.pieces.recorded) and not self.save()):
            return
        try:
            self.services.attachments.add(
                AttachmentOwner.VISIT_PIECE, self.pieces.recorded[row].id, Path(name), AttachmentKind.PHOTO
            )
        except KsmError as exc:
            show_message(self._errors["pieces"], exc.message)
            return
        self.saved = True
        self.load()

    def do_save(self) -> int:
        data = VisitInput(
            organisation_id=self.organisation_id,
            visited_on=self.visited_on.value(),  # type: ignore[arg-type]
            visitor=self.visitor.text(),
            observations=self.observations.toPlainText(),
            monthly_revenue=self.revenue.value(),
            production_quantity=self.quantity.value(),
            production_unit=self.unit.text(),
            problems=self.problems_edit.toPlainText(),
            pieces=self.pieces.values(),
        )
        if self.entity_id is None:
            return self.services.visits.create(data).id
        return self.services.visits.update(self.entity_id, data).id

    def after_save(self) -> None:
        self.load()


class VisitsTab(QWidget):
    """The "Follow-up" tab of the organisation form."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.organisation_id: int | None = None
        self.visits: list[VisitDTO] = []
        self.hint = QLabel(_("Save the organisation first, then record its follow-up visits."))
        self.table = read_table(
            [_("Date"), _("Visitor"), _("Monthly revenue"), _("Production"), _("Problems")], wide=4
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_visit())
        self.chart = QChart()
        self.chart.setTitle(_("Revenue and production over time"))
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart_view)
        split.setSizes([170, 300])
        self.add_button = QPushButton(_("New visit…"))
        self.add_button.clicked.connect(lambda: self._open(None))
        self.edit_button = QPushButton(_("Open the visit…"))
        self.edit_button.clicked.connect(self.edit_visit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.hint)
        box.addWidget(split, 1)
        box.addLayout(buttons)

    def set_organisation(self, organisation_id: int | None) -> None:
        self.organisation_id = organisation_id
        self.reload()

    def reload(self) -> None:
        saved = self.organisation_id is not None
        self.hint.setVisible(not saved)
        self.add_button.setEnabled(saved)
        self.edit_button.setEnabled(saved)
        self.visits = self.services.visits.visits_of(self.organisation_id) if saved else []  # type: ignore[arg-type]
        fill_table(
            self.table,
            [
                (
                    format_date(v.visited_on),
                    v.visitor,
                    "" if v.monthly_revenue is None else format_money(v.monthly_revenue, "MAD"),
                    ""
                    if v.production_quantity is None
                    else f"{format_decimal(v.production_quantity.normalize())} {v.production_unit or ''}",
                    (v.problems or "").replace("\n", " "),
                )
                for v in self.visits
            ],
            [v.id for v in self.visits],
        )
        self._draw_chart()

    def _draw_chart(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        points = self.services.visits.trend(self.organisation_id) if self.organisation_id else []
        if not points:
            return
        revenue = QLineSeries()
        revenue.setName(_("Monthly revenue (MAD)"))
        production = QLineSeries()
        units = {p.production_unit for p in points if p.production_unit}
        production.setName(_("Production ({unit})").format(unit=", ".join(sorted(units))))
        for p in points:
            day = p.visited_on
            x = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0)).toMSecsSinceEpoch()
            if p.monthly_revenue is not None:
                revenue.append(x, float(p.monthly_revenue))  # chart coordinates only
            if p.production_quantity is not None:
                production.append(x, float(p.production_quantity))
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MM/yyyy")
        x_axis.setTickCount(min(max(len(points), 2), 6))
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        for series, side in (
            (revenue, Qt.AlignmentFlag.AlignLeft),
            (production, Qt.AlignmentFlag.AlignRight),
        ):
            if series.count() == 0:
                continue
            self.chart.addSeries(series)
            y_axis = QValueAxis()
            y_axis.setLabelFormat("%d")
            top = max(point.y() for point in series.points())
            y_axis.setRange(0, top * 1.15 or 1)
            y_axis.applyNiceNumbers()
            self.chart.addAxis(y_axis, side)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)

    def edit_visit(self) -> None:
        visit_id = selected_id(self.table)
        if visit_id is not None:
            self._open(visit_id)

    def _open(self, visit_id: int | None) -> None:
        from ksm_desktop.ui.forms import _run

        if self.organisation_id is None:
            return
        try:
            dialog = VisitDialog(self.services, self.organisation_id, visit_id, self)
        except KsmError:
            return
        if _run(dialog)[0]:
            self.reload()
