"""Jejak audit: the audit log filtered by action, actor, entity, OPD and WIB dates, a page at a
time, and exported as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st
from sqlalchemy.orm import Session

from content.audit import log as audit_log
from content.audit.log import AuditFilter, AuditRow
from content.infra.timeutil import format_wib, utcnow
from content.labels import ENTITY_LABELS, action_label, actor_label, entity_label
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action
from dashboard import auth
from dashboard.ui import attempt, current_page, data_table, on_filter_change, pager, read

PAGE_KEY = "au"
PAGE_SIZE = 50
EXPORT = "au_export"  # (the filter it was made for, CSV bytes, rows)


@dataclass(frozen=True)
class Trail:
    rows: list[AuditRow]
    has_next: bool
    actions: list[str]
    entity_types: list[str]
    opds: dict[int, str]


def current_filter() -> AuditFilter:
    state = st.session_state
    entity_id = state.get("au_entity_id")
    return AuditFilter(
        action=state.get("au_action") or None,
        actor_username=str(state.get("au_actor") or "").strip() or None,
        entity_type=state.get("au_entity") or None,
        entity_id=int(entity_id) if entity_id else None,
        opd_id=state.get("au_opd"),
        day_from=state.get("au_from"),
        day_until=state.get("au_until"),
    )


def load(session: Session, actor: Actor, flt: AuditFilter) -> Trail:
    page = audit_log.search(session, actor, flt, page=current_page(PAGE_KEY), page_size=PAGE_SIZE)
    return Trail(
        page.items,
        page.has_next,
        audit_log.known_actions(session, actor),
        audit_log.known_entity_types(session, actor),
        {o.id: o.short_name for o in list_opds(session, active_only=False)},
    )


def filters(trail: Trail) -> None:
    reset = on_filter_change(PAGE_KEY)
    top = st.columns(4)
    top[0].selectbox(
        "Aksi",
        options=["", *trail.actions],
        key="au_action",
        format_func=lambda a: action_label(a) if a else "Semua aksi",
        on_change=reset,
    )
    top[1].text_input("Pelaku (nama pengguna)", key="au_actor", on_change=reset)
    top[2].selectbox(
        "Jenis entitas",
        options=["", *trail.entity_types],
        key="au_entity",
        format_func=lambda e: ENTITY_LABELS.get(e, e) if e else "Semua",
        on_change=reset,
    )
    top[3].number_input(
        "ID entitas (0: semua)", min_value=0, step=1, key="au_entity_id", on_change=reset
    )
    bottom = st.columns(3)
    bottom[0].selectbox(
        "OPD",
        options=[None, *trail.opds],
        key="au_opd",
        format_func=lambda i: "Semua OPD" if i is None else trail.opds.get(i, str(i)),
        on_change=reset,
    )
    bottom[1].date_input("Dari (WIB)", value=None, key="au_from", on_change=reset)
    bottom[2].date_input("Sampai (WIB)", value=None, key="au_until", on_change=reset)


def _prepare_export(actor: Actor) -> None:
    flt = current_filter()
    made = attempt(lambda s: audit_log.export_csv(s, actor, flt))
    if made is not None:
        text, rows = made
        st.session_state[EXPORT] = (flt, text.encode("utf-8"), rows)


def export(actor: Actor, flt: AuditFilter) -> None:
    left, right = st.columns(2)
    left.button(
        "Siapkan CSV",
        key="au_prepare",
        on_click=_prepare_export,
        args=(actor,),
        icon=":material/table:",
    )
    prepared = st.session_state.get(EXPORT)
    if prepared is None or prepared[0] != flt:
        return  # a file made for another filter is not offered for this one
    _, data, rows = prepared
    stamp: date = utcnow().date()
    right.download_button(
        f"Unduh CSV ({rows} baris)",
        data=data,
        file_name=f"jejak-audit-{stamp:%Y%m%d}.csv",
        mime="text/csv",
        key="au_download",
        on_click="ignore",
    )


def table(rows: list[AuditRow]) -> None:
    if not rows:
        st.info("Tidak ada catatan untuk saringan ini.")
        return
    data_table(
        [
            {
                "Waktu": format_wib(r.at, seconds=True),
                "Peristiwa": action_label(r.action),
                "Pelaku": actor_label(r.actor_label),
                "Entitas": entity_label(r.entity_type, r.entity_id),
                "OPD": r.opd_name,
                "Alasan": r.reason,
            }
            for r in rows
        ],
        hide_index=True,
    )


def main() -> None:
    actor = auth.require_page(Action.VIEW_AUDIT)
    st.title("Jejak audit")
    flt = current_filter()
    trail = read(lambda s: load(s, actor, flt))
    filters(trail)
    export(actor, flt)
    table(trail.rows)
    pager(PAGE_KEY, trail.has_next)


main()
