"""Daftar DIK: the city's list of exempt information (PPID Utama) and each OPD's own entries,
proposed by its PPID Pembantu and approved by PPID Utama; entries due for the yearly review
first. Every rule is in content.screening.dik_rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.labels import KIP_17_GROUNDS
from content.models import Severity
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action, can
from content.screening import dik_rules
from dashboard import auth
from dashboard.ui import attempt, md, read

SEVERITY_LABELS = {Severity.BLOCK: "Blokir", Severity.WARN: "Peringatan"}
CITY = 0  # the scope choice for the city's list


@dataclass(frozen=True)
class Entry:
    id: int
    pattern: str
    scope: str
    ground: str
    decision: str
    severity: Severity
    approved: bool
    active: bool
    review_due: date | None
    opd_id: int | None = None


@dataclass(frozen=True)
class Lists:
    entries: list[Entry]
    due: list[int]
    opds: dict[int, str]  # the scopes this person may write to (CITY for the city's list)


def load(session: Session, actor: Actor) -> Lists:
    names = {o.id: o.short_name for o in list_opds(session, active_only=False)}
    rules = dik_rules.rules_for(session, actor)
    today = utcnow().date()
    entries = [
        Entry(
            r.id,
            r.pattern,
            names.get(r.opd_id, "?") if r.opd_id else "Kota",
            f"Pasal 17 huruf {r.ground}" if r.ground else "",
            " · ".join(x for x in (r.decision_number, str(r.decision_date or "")) if x),
            r.severity,
            r.approved,
            r.active,
            r.review_due,
            r.opd_id,
        )
        for r in rules
    ]
    due = [r.id for r in dik_rules.due_for_review(session, actor, today)]
    if can(actor, Action.MANAGE_DIK):
        scopes = {CITY: "Kota (seluruh OPD)", **names}
    else:
        scopes = {actor.opd_id: names.get(actor.opd_id, "")} if actor.opd_id else {}
    return Lists(entries, due, scopes)


def _add(actor: Actor) -> None:
    scope = int(st.session_state.get("dik_scope") or CITY)
    decided = st.session_state.get("dik_date")
    attempt(
        lambda s: dik_rules.add_rule(
            s,
            actor,
            pattern=str(st.session_state.get("dik_pattern", "")),
            reason=str(st.session_state.get("dik_reason", "")),
            severity=Severity(st.session_state.get("dik_severity") or Severity.BLOCK),
            is_regex=bool(st.session_state.get("dik_regex")),
            opd_id=None if scope == CITY else scope,
            ground=str(st.session_state.get("dik_ground") or ""),
            decision_number=str(st.session_state.get("dik_number", "")),
            decision_date=decided if isinstance(decided, date) else None,
        ),
        done="Entri DIK disimpan."
        if can(actor, Action.MANAGE_DIK)
        else "Usulan DIK dikirim ke PPID Utama untuk disetujui.",
    )


def _approve(actor: Actor, rule_id: int) -> None:
    attempt(
        lambda s: dik_rules.approve_rule(s, actor, rule_id),
        done=f"Usulan DIK #{rule_id} disetujui; kini menyaring konten OPD-nya.",
    )


def _review(actor: Actor, rule_id: int) -> None:
    attempt(
        lambda s: dik_rules.review_rule(s, actor, rule_id),
        done=f"Entri DIK #{rule_id} dicatat sudah ditinjau hari ini; tinjauan berikutnya setahun "
        "lagi.",
    )


def entry_row(actor: Actor, entry: Entry, due: bool) -> None:
    status = "Disetujui" if entry.approved else "Usulan, menunggu PPID Utama"
    status = status if entry.active else "Nonaktif"
    review = f"tinjau {entry.review_due}" if entry.review_due else ""
    flag = " · **perlu ditinjau**" if due else ""
    cols = st.columns([5, 1])
    cols[0].markdown(
        f"**#{entry.id} {md(entry.pattern)}** · {md(entry.scope)} · "
        f"{SEVERITY_LABELS[entry.severity]} · {status}{flag}  \n"
        f"{md(entry.ground)} {md(entry.decision)} {review}"
    )
    if not entry.approved and can(actor, Action.MANAGE_DIK):
        cols[1].button(
            "Setujui", key=f"dik_approve_{entry.id}", on_click=_approve, args=(actor, entry.id)
        )
    elif entry.approved and entry.active and dik_rules.may_review(actor, entry.opd_id):
        cols[1].button(
            "Tandai ditinjau",
            key=f"dik_review_{entry.id}",
            on_click=_review,
            args=(actor, entry.id),
            help="Mencatat peninjauan tahunan entri ini (dipakai Monev: Inventaris DIK).",
        )


def add_form(actor: Actor, scopes: dict[int, str]) -> None:
    with st.form("dik_add", clear_on_submit=True):
        st.markdown("**Tambah entri**" if can(actor, Action.MANAGE_DIK) else "**Usulkan entri**")
        options: list[int] = list(scopes)
        st.selectbox(
            "Berlaku untuk", options=options, format_func=lambda i: scopes[i], key="dik_scope"
        )
        st.text_input("Istilah atau pola", key="dik_pattern")
        st.checkbox("Pola adalah ekspresi reguler", key="dik_regex")
        st.text_area("Alasan pengecualian", key="dik_reason", height=68)
        st.selectbox(
            "Dasar (Pasal 17 UU KIP)",
            options=["", *KIP_17_GROUNDS],
            format_func=lambda g: KIP_17_GROUNDS.get(g, "(belum dipilih)"),
            key="dik_ground",
        )
        st.text_input("Nomor keputusan", key="dik_number")
        st.date_input("Tanggal keputusan", value=None, key="dik_date", format="DD/MM/YYYY")
        st.selectbox(
            "Tingkat",
            options=list(Severity),
            format_func=lambda s: SEVERITY_LABELS[s],
            key="dik_severity",
        )
        st.form_submit_button("Simpan", on_click=_add, args=(actor,))


def main() -> None:
    actor = auth.require_page(Action.PROPOSE_DIK)
    st.title("Daftar DIK")
    st.caption("Daftar Informasi yang Dikecualikan (UU KIP Pasal 17)")
    lists = read(lambda s: load(s, actor))
    due = set(lists.due)
    if due:
        st.warning(f"{len(due)} entri sudah waktunya ditinjau ulang (tinjauan tahunan).")
    for entry in sorted(lists.entries, key=lambda e: (e.id not in due, e.approved, e.id)):
        entry_row(actor, entry, entry.id in due)
    if not lists.entries:
        st.info("Belum ada entri DIK.")
    if lists.opds:
        add_form(actor, lists.opds)


main()
