"""Codebook edits and their undo on both backends (the store's rules, the counts by hand).

Undo goes through the store's edit log (``codebook_edits``): newest first, in any session."""

from __future__ import annotations

import pytest

from qcode.errors import QcodeError, StorageError, UnknownNameError
from qcode.services import codebook as codebook_service
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.corpus import import_paths
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.fragments import code_fragments
from qcode.services.project import Project

DOC = "casus-03/chat-2014-05-21"


def _book(project: Project) -> dict[str, tuple[str, str, str]]:
    return {c.id: (c.name, c.group, c.colour) for c in codebook_service.codebook(project).codes}


def test_edits_and_their_undo(project: Project) -> None:
    import_paths(project, [SAMPLE_CORPUS])
    team_service.add_coder(project, "anna")
    before = _book(project)
    for utterance in (1, 3):
        coding_service.add_coding(project, DOC, "gesloten_vraag", "anna", utterance=utterance)
    coding_service.add_coding(project, DOC, "open_vraag", "anna", utterance=5)

    made = codebook_service.create_code(project, "Zelfbeeld", "content", "#aabbcc")
    assert made.code == "zelfbeeld" and _book(project)["zelfbeeld"] == ("Zelfbeeld", "content", "#AABBCC")
    with pytest.raises(StorageError, match="exists already"):
        codebook_service.create_code(project, "zelfbeeld", "content")
    with pytest.raises(UnknownNameError, match="did you mean 'content'"):
        codebook_service.create_code(project, "Iets", "contnt")
    assert codebook_service.undo_last(project) is not None
    assert _book(project) == before

    merge = codebook_service.merge_codes(project, "Gesloten vraag", "Open vraag")
    assert len(merge.moved) == 2
    assert len(code_fragments(project, "Open vraag").fragments) == 3
    assert "gesloten_vraag" not in _book(project)
    assert codebook_service.latest_edit(project) == merge
    codebook_service.undo_last(project)
    assert _book(project) == before
    assert [f.turn for f in code_fragments(project, "Gesloten vraag").fragments] == [2, 4]
    assert [f.turn for f in code_fragments(project, "Open vraag").fragments] == [6]

    with pytest.raises(QcodeError, match="not a colour"):
        codebook_service.recolour_code(project, "Open vraag", "blauw")
    move = codebook_service.move_code(project, "Open vraag", "phases")
    assert _book(project)["open_vraag"][1] == "phases"
    assert codebook_service.latest_edit(project) == move
    codebook_service.undo_last(project)
    assert _book(project) == before
    assert codebook_service.undo_last(project) is None  # all undone; the records stay, marked


def test_undo_of_a_create_that_has_codings_is_refused(project: Project) -> None:
    import_paths(project, [SAMPLE_CORPUS])
    team_service.add_coder(project, "anna")
    made = codebook_service.create_code(project, "Zelfbeeld", "content")
    coding_service.add_coding(project, DOC, made.code, "anna", utterance=2)
    with pytest.raises(StorageError, match="would orphan"):
        codebook_service.undo_last(project)
    assert "zelfbeeld" in _book(project)
    # even once the coding is removed: the removal can still be undone, so it still refers
    coding_service.undo(project, "anna")
    with pytest.raises(StorageError, match="removed but undoable"):
        codebook_service.undo_last(project)
    assert codebook_service.latest_edit(project) == made  # a refused undo leaves the edit to undo


def test_a_merge_is_undone_in_a_later_session(project: Project) -> None:
    import_paths(project, [SAMPLE_CORPUS])
    team_service.add_coder(project, "anna")
    before = _book(project)
    coding_service.add_coding(project, DOC, "gesloten_vraag", "anna", utterance=1)
    codebook_service.merge_codes(project, "Gesloten vraag", "Open vraag", editor="anna")
    folder, url = project.folder, project.url
    project.close()
    from qcode.services.project import open_project

    again = open_project(folder)
    try:
        assert again.url == url
        undone = codebook_service.undo_last(again)
        assert undone is not None and undone[0].moved and "merged 'Gesloten vraag' into 'Open vraag'" in undone[1]
        assert _book(again) == before
        assert [f.turn for f in code_fragments(again, "Gesloten vraag").fragments] == [2]
    finally:
        again.close()
