"""The persons already registered who may be the one being typed, each with its score, its reasons
and the user's two answers: "Same person" (open that one instead) or "Different person" (never
proposed again for this pair)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ksm_desktop.domain.enums import DuplicateReason
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_list, format_percent
from ksm_desktop.services.duplicates import PersonCandidate


def isolated(text: str) -> str:
    """A name or number kept whole inside a sentence of the other script (Unicode isolates): an
    Arabic line about "Mohamed Benali" reads right to left, the name left to right."""
    return f"\u2068{text}\u2069"


def likeness_text(person: str, score: float, reasons: tuple[DuplicateReason, ...]) -> str:
    """'Mohamed Benali — 94 %: same name…, same douar'; the score is rounded down, so only a
    certain match would read 100 %."""
    return _("{person} — {score}: {reasons}").format(
        person=person,
        score=format_percent(Decimal(int(score * 100)) / 100),
        reasons=format_list([r.label for r in reasons]),
    )


def candidate_text(c: PersonCandidate) -> str:
    """'Mohamed Benali (محمد بن علي) · born 1980 · CIN AB123456 — 94 %: same name…'."""
    facts = [isolated(c.name)] + ([f"({isolated(c.full_name_ar)})"] if c.full_name_ar else [])
    if c.birth_year:
        facts.append("· " + _("born {year}").format(year=c.birth_year))
    if c.cin:
        facts.append("· " + _("CIN {cin}").format(cin=isolated(c.cin)))
    return likeness_text(" ".join(facts), c.score, c.reasons)


class CandidatesPanel(QGroupBox):
    """Hidden while there is nothing to show; one line per candidate the user has not dismissed."""

    same = Signal(int)  # the person id the user recognised
    different = Signal(int)  # a person id the user dismissed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Already registered?"), parent)
        self.setStyleSheet("QGroupBox { background: #fff8e1; }")
        self.rows = QVBoxLayout(self)
        self.intro = QLabel(_("These persons look like the one you are entering:"))
        self.intro.setWordWrap(True)
        self.rows.addWidget(self.intro)
        self.dismissed: set[int] = set()
        self.shown: list[PersonCandidate] = []
        self._lines: list[QWidget] = []
        self.setVisible(False)

    def show_candidates(self, candidates: list[PersonCandidate]) -> None:
        for line in self._lines:  # possibly the line whose button is being clicked: Qt deletes it later
            self.rows.removeWidget(line)
            line.hide()
            line.deleteLater()
        self._lines = []
        self.shown = [c for c in candidates if c.person_id not in self.dismissed]
        for c in self.shown:
            line = QWidget(self)
            box = QHBoxLayout(line)
            box.setContentsMargins(0, 0, 0, 0)
            text = QLabel(candidate_text(c), line)
            text.setWordWrap(True)
            if c.strong:
                text.setStyleSheet("font-weight: bold;")
            same = QPushButton(_("Same person"), line)
            same.setToolTip(_("Open this person instead of creating a new one"))
            same.setAutoDefault(False)
            same.clicked.connect(partial(self.same.emit, c.person_id))
            other = QPushButton(_("Different person"), line)
            other.setToolTip(_("Never propose this person again for the one you are entering"))
            other.setAutoDefault(False)
            other.clicked.connect(partial(self._dismiss, c.person_id))
            box.addWidget(text, 1)
            box.addWidget(same)
            box.addWidget(other)
            self.rows.addWidget(line)
            self._lines.append(line)
        self.setVisible(bool(self.shown))

    def undecided_strong(self) -> list[PersonCandidate]:
        return [c for c in self.shown if c.strong and c.person_id not in self.dismissed]

    def _dismiss(self, person_id: int) -> None:
        self.dismissed.add(person_id)
        self.different.emit(person_id)
        self.show_candidates(self.shown)
