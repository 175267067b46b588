"""HermiT over the committed ontology plus a small instance graph: consistent, infers the
``tracesTo`` chain (chỉ tiêu → quyết định giao → nghị quyết đặt → nghị quyết Đảng), and
rejects an individual that is both a Target and a Task (disjoint classes)."""

from __future__ import annotations

import owlready2
import pytest

from ontology.build import ONTOLOGY_DIR, OWL_NAME


def _load() -> tuple[owlready2.World, owlready2.Ontology, owlready2.Ontology]:
    world = owlready2.World()
    onto = world.get_ontology((ONTOLOGY_DIR / OWL_NAME).as_uri()).load()
    return world, onto, world.get_ontology("https://kehoach.dev/test/instances#")


def _reason(world: owlready2.World) -> None:
    # no time limit asserted here: speed is measured by hand under bench/, never in a test
    owlready2.sync_reasoner(world, infer_property_values=True, debug=0)


def test_reasoner_infers_traces_to_chain() -> None:
    world, kh, inst = _load()
    with inst:
        congress = kh.PartyResolution("nq_dai_hoi_xvii")
        resolution = kh.Resolution("nq_29_hdnd_2022", documentNumber="29/NQ-HĐND",
                                   basedOn=[congress])
        decision = kh.Decision("qd_1966_ubnd_2022", documentNumber="1966/QĐ-UBND",
                               basedOn=[resolution])
        agency = kh.Agency("so_tai_chinh")
        target = kh.Target("grdp_2023", assignedBy=[decision], leadAgency=[agency],
                           expression=["7 - 7,5"])
        task = kh.Task("task_q4", assignedBy=[decision], supportingAgency=[agency])
    assert target.tracesTo == [] and decision.tracesTo == []  # nothing asserted
    _reason(world)
    # owlready2 stores only values not already implied by a sub-property assertion, so the
    # stored tracesTo values are exactly HermiT's transitive inferences:
    assert set(target.tracesTo) == {resolution, congress}
    assert set(task.tracesTo) == {resolution, congress}
    assert decision.tracesTo == [congress]
    assert resolution in decision.INDIRECT_tracesTo  # basedOn ⊑ tracesTo
    assert agency not in target.INDIRECT_tracesTo


def test_reasoner_classifies_by_domain() -> None:
    world, kh, inst = _load()
    with inst:
        report = kh.Report("bc_9_thang_2024")
        figure = owlready2.Thing("figure_1", sourceDocument=[report], pctOfPlan=[78.5])
    _reason(world)
    assert isinstance(figure, kh.Observation)


def test_target_that_is_also_task_is_inconsistent() -> None:
    world, kh, inst = _load()
    with inst:
        both = kh.Target("confused")
        both.is_a.append(kh.Task)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)


def test_document_issued_by_a_target_is_inconsistent() -> None:
    world, kh, inst = _load()
    with inst:
        target = kh.Target("t")
        kh.Decision("qd", issuedBy=[target])  # range Organization, disjoint with Target
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)
