"""Monev: each OPD's media-management score per period, explained, exported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from content.editorial.posts import get_post
from content.monev.aggregate import OpdFacts, opd_facts
from content.monev.complaints import ComplaintMeasures, inbox_measures
from content.monev.config import MonevConfig, load
from content.monev.periods import Period, parse_period
from content.monev.plays import ProofOfPlay, proof_of_play
from content.monev.posts import (
    KipRow,
    PostRow,
    TrendPoint,
    growth,
    kip_rows,
    post_rows,
    weekly_trend,
)
from content.monev.ppid import (
    EvidenceRow,
    RequestRow,
    evidence_rows,
    ppid_facts,
    register_rows,
)
from content.monev.score import OpdScore, Part, Section, score_all
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, visible_opd_ids

__all__ = [
    "KipRow",
    "MonevConfig",
    "MonevReport",
    "OpdFacts",
    "OpdScore",
    "Part",
    "Period",
    "PostRow",
    "ProofOfPlay",
    "Section",
    "TrendPoint",
    "compute",
    "load",
    "parse_period",
    "post_growth",
]


@dataclass(frozen=True)
class MonevReport:
    period: Period
    config: MonevConfig
    scores: list[OpdScore]
    posts: list[PostRow]
    trend: list[TrendPoint]
    # True when the reader sees only some OPDs (a PPID Pembantu): a rank would mislead.
    scoped: bool = False
    plays: ProofOfPlay = field(default_factory=ProofOfPlay)  # videotron proof of play
    requests: list[RequestRow] = field(default_factory=list)  # the register behind the PPID part
    evidence: list[EvidenceRow] = field(default_factory=list)  # DIP/DIK/SOP on record
    # The inbox's complaint figures of each OPD shown (the Pengaduan part), by OPD id.
    complaints: dict[int, ComplaintMeasures | None] = field(default_factory=dict)
    kip: list[KipRow] = field(default_factory=list)  # publications per KIP category


def compute(
    session: Session,
    actor: Actor,
    period: Period,
    config: MonevConfig,
    *,
    post_limit: int | None = None,
) -> MonevReport:
    """Scores for the OPDs the actor may see. Engagement benchmarks use every OPD of a band
    (only the band's median is used, no other OPD's numbers are shown)."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_REPORTS)
    facts = opd_facts(
        session,
        period,
        on_time_minutes=config.target("on_time_minutes"),
        videotron_viewers_per_minute=config.targets.get("videotron_viewers_per_minute", 0.0),
        submit_lead_hours=config.target("submit_lead_hours"),
        fix_working_hours=config.target("fix_working_hours"),
        holidays=config.holidays,
    )
    visible = visible_opd_ids(actor)
    shown = [f.opd_id for f in facts if visible is None or f.opd_id in visible]
    ppid = ppid_facts(session, period, shown)
    complaints = {i: inbox_measures(session, i, period.start, period.end) for i in shown}
    scores = [
        s
        for s in score_all(facts, period, config, ppid, complaints)
        if visible is None or s.facts.opd_id in visible
    ]
    scope = None if visible is None else sorted(visible)
    posts = post_rows(session, period, scope, limit=post_limit)
    trend = weekly_trend(session, period, scope)
    plays = proof_of_play(session, period, scope)
    return MonevReport(
        period,
        config,
        scores,
        posts,
        trend,
        scoped=scope is not None,
        plays=plays,
        requests=register_rows(session, period, scope),
        evidence=evidence_rows(session, period, scope),
        complaints=dict(complaints),
        kip=kip_rows(session, period, scope),
    )


def post_growth(
    session: Session, actor: Actor, post_id: int
) -> list[tuple[datetime, str, int, int]]:
    get_post(session, actor, post_id)  # visibility as for the post itself
    return growth(session, post_id)
