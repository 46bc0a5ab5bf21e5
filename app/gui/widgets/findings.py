"""One check's outcome as people read it: title, status (icon + word), each problem with its fix,
and an inline error with what to do when the check could not run. Never a traceback."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from techcheck.app import logsetup
from techcheck.app.gui.i18n import ct
from techcheck.app.gui.widgets.status import StatusBadge, status_pixmap, status_word
from techcheck.checks.model import CheckResult, Status

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text")


def _label(text: str, parent: QWidget, bold: bool = False) -> QLabel:
    lab = QLabel(text, parent)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if bold:
        f = lab.font()
        f.setBold(True)
        lab.setFont(f)
    return lab


def error_fix(result: CheckResult) -> str:
    """What to do when a check could not run at all."""
    where = logsetup.log_file()
    if result.status is Status.SKIPPED:
        return translate("ResultCard", "Run this check again when you are ready.")
    base = translate(
        "ResultCard",
        "Run the check again. If it keeps failing, restart the computer; IT support can "
        "read the details in the log",
    )
    return f"{base}: {where}" if where else base + "."


def verdict_of(result: CheckResult) -> tuple[str, Status] | None:
    """A check's plain verdict sentence and its status, e.g. the network check's "Good enough
    for Microsoft Teams in 720p, not in 1080p…": from ``details["verdict"]`` (template and
    parameters) or the ``<check>.verdict`` finding. Shown even when the check passed."""
    finding = next((f for f in result.findings if f.code == f"{result.id}.verdict"), None)
    raw = result.details.get("verdict")
    status = finding.status if finding is not None else result.status
    if isinstance(raw, dict) and isinstance(raw.get("template"), str):
        params = raw.get("params") if isinstance(raw.get("params"), dict) else {}
        try:
            return ct(raw["template"], params), status
        except (KeyError, ValueError, IndexError):  # a template its parameters do not fill
            pass
    if finding is not None:
        return finding.text(_lang()), status
    return None


def nothing_to_fix(result: CheckResult) -> bool:
    """A check that passed with no problem, tip or error to show: Results folds these into one
    line (its verdict sentence, e.g. "Good enough for Teams in 1080p", keeps it a card)."""
    return (result.status is Status.PASS and not result.error and verdict_of(result) is None
            and all(f.status is Status.PASS for f in result.findings))


class ResultCard(QFrame):
    """A check's result with a "Check again" button."""

    rerun = Signal(str)

    def __init__(
        self, result: CheckResult, parent: QWidget | None = None, rerunnable: bool = True
    ) -> None:
        super().__init__(parent)
        self.result = result
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"card-{result.id}")
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        title = _label(ct(result.title), self, bold=True)
        head.addWidget(title, 1)
        self.badge = StatusBadge(self)
        self.badge.set_status(result.status)
        head.addWidget(self.badge)
        self.rerun_button = None
        if rerunnable:
            b = QPushButton(translate("ResultCard", "Check again"), self)
            b.setAccessibleName(
                translate("ResultCard", "Check {title} again").format(title=ct(result.title))
            )
            b.clicked.connect(lambda: self.rerun.emit(result.id))
            head.addWidget(b)
            self.rerun_button = b
        lay.addLayout(head)
        self.setAccessibleName(f"{ct(result.title)}: {self.badge.word.text()}")
        verdict = verdict_of(result)
        self.verdict_label: QLabel | None = None
        if verdict is not None:
            row = QHBoxLayout()
            icon = QLabel(self)
            icon.setPixmap(status_pixmap(verdict[1], 16, self))
            icon.setAccessibleName(status_word(verdict[1]))  # the status not only by colour
            icon.setAlignment(Qt.AlignmentFlag.AlignTop)
            row.addWidget(icon)
            self.verdict_label = _label(verdict[0], self, bold=True)
            self.verdict_label.setObjectName("verdict")
            row.addWidget(self.verdict_label, 1)
            lay.addLayout(row)
        if result.error:
            lay.addWidget(_label(ct(result.error), self))
            lay.addWidget(_label(translate("ResultCard", "What to do: ") + error_fix(result), self))
        problems = [f for f in result.findings if f.status is not Status.PASS
                    and not (verdict is not None and f.code == f"{result.id}.verdict")]
        for f in problems:
            row = QHBoxLayout()
            icon = QLabel(self)
            icon.setPixmap(status_pixmap(f.status, 16, self))
            icon.setAccessibleName(status_word(f.status))  # "Failed", "Warning": heard, not seen
            icon.setAlignment(Qt.AlignmentFlag.AlignTop)
            row.addWidget(icon)
            col = QVBoxLayout()
            col.addWidget(_label(f.text(_lang()), self))
            if f.fix:
                col.addWidget(
                    _label(translate("ResultCard", "How to fix it: ") + f.fix_text(_lang()), self)
                )
            row.addLayout(col, 1)
            lay.addLayout(row)
        if not problems and not result.error and result.status is Status.PASS:
            lay.addWidget(_label(translate("ResultCard", "Nothing to fix."), self))


def _lang() -> str:
    from techcheck.app.gui import i18n

    return i18n.current()
