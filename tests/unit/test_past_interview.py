"""A run after the invitation's interview time (issue 23, item 12): every report says plainly
that the time has passed and what to do, before the verdict's sentence, and the verdict's word
no longer reads "Ready for the interview" as if the interview were still ahead."""

from __future__ import annotations

import pytest

from techcheck.app.report import html, text, view
from techcheck.checks.model import CheckResult, Report, Status, Verdict

CREATED = "2026-12-01T09:35:12+01:00"
CONTACT = "Anna Berg, anna.berg@acme.example"


def _report(when: str, status: Status = Status.PASS, demo: bool = False) -> Report:
    checks = [CheckResult(cid, str(title), status, 1.0) for cid, title in view.CORE_CHECKS.items()]
    extra: dict = {"invitation": {"format": "techcheck.invitation/1", "company": "Acme AB",
                                  "when": when, "contact": CONTACT, "profile": "teams"}}
    if demo:
        extra["demo"] = {"note": "Demo finished"}
    return Report(CREATED, "0.1.0", {"name": "teams", "title": "Microsoft Teams"}, {}, checks,
                  extra=extra)


@pytest.mark.parametrize("lang, note, word", [
    ("en", "The interview time in this invitation has passed (5 days ago). Check the date in "
           f"the invitation, or ask {CONTACT} for the new time.",
     "Ready, but the interview time has passed"),
    ("sv", "Intervjutiden i den här inbjudan har passerat (för 5 dagar sedan). Kontrollera "
           f"datumet i inbjudan, eller fråga {CONTACT} efter den nya tiden.",
     "Redo, men intervjutiden har passerat"),
])
def test_a_run_after_the_interview_time_says_so_before_the_verdict(lang, note, word):
    rep = _report("2026-11-26T09:35:12+01:00")  # five days before the run
    assert rep.verdict is Verdict.READY
    v = view.build(rep, lang)
    assert v.verdict_word == word
    assert v.verdict_sentence.startswith(note + " "), v.verdict_sentence
    assert f"{v.verdict_word.upper()}: {v.verdict_sentence}" in text.render(rep, lang)
    assert f'<p class="verdict-sentence">{v.verdict_sentence}</p>' in html.render(rep, lang)


def test_the_word_of_other_verdicts_stays_and_the_note_comes_first():
    rep = _report("2026-11-29T09:35:12+01:00", Status.FAIL)
    v = view.build(rep, "en")
    assert v.verdict_word == "Not ready yet"
    assert v.verdict_sentence == (
        "The interview time in this invitation has passed (2 days ago). Check the date in the "
        f"invitation, or ask {CONTACT} for the new time. Fix what is listed below before the "
        "interview.")


def test_an_interview_still_ahead_or_a_demo_has_no_note():
    ahead = view.build(_report("2026-12-01T10:00+01:00"), "en")
    assert ahead.verdict_word == "Ready for the interview"
    assert ahead.verdict_sentence == "Everything needed for the interview works."
    # a demo says nothing about any interview: its own word and sentence only
    demo = view.build(_report("2026-11-26T09:35:12+01:00", demo=True), "en")
    assert demo.verdict is Verdict.DEMO and "interview time" not in demo.verdict_sentence
