"""The index on disk: several writing processes, the spool, a broken index."""

from xinfang_archive.search import querylang as ql
from xinfang_archive.search.analysis import segmenter
from xinfang_archive.search.extract import build_document
from xinfang_archive.search.model import SearchRequest
from xinfang_archive.search.store import IndexStore

import json
import pytest
import subprocess
import sys
import textwrap


WRITER = textwrap.dedent(
    """
    import sys
    from xinfang_archive.search.analysis import segmenter
    from xinfang_archive.search.extract import build_document
    from xinfang_archive.search.store import IndexStore

    root, engine, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = IndexStore(root, engine)
    seg = segmenter()
    for i in range(count):
        # one small transaction each, as a web process commits them
        doc = build_document(f"{name}-{i}", [f"第{i}号 {name} 进程写入的信访件"], seg)
        store.commit({doc.uid: doc})
    """
)


def total(store, text):
    return store.engine.search(SearchRequest(query=ql.parse(text), limit=1)).total


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_two_processes_writing_at_once_lose_nothing(tmp_path, engine):
    count = 60
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), engine, name, str(count)]
        )
        for name in ("alpha", "beta")
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    store = IndexStore(tmp_path, engine)
    assert store.engine.stats()["documents"] == 2 * count
    assert total(store, "alpha") == count and total(store, "beta") == count
    assert store.pending() == []


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_spooled_changes_of_a_dead_writer_are_written_by_the_next(tmp_path, engine):
    store = IndexStore(tmp_path, engine)
    doc = build_document("left-over", ["进程中断前已提交的变更"], segmenter())
    # what a process leaves when it dies between the database commit and the index write
    payload = {doc.uid: doc.__dict__}
    (store.spool / "00000000000000000001-999-00000000.json").write_text(
        json.dumps(payload, ensure_ascii=False)
    )
    other = build_document("next", ["下一次提交"], segmenter())
    store.commit({other.uid: other})
    assert total(store, "进程中断") == 1 and total(store, "下一次提交") == 1
    assert store.pending() == []


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_corrupted_index_is_moved_aside_and_recreated(tmp_path, engine):
    store = IndexStore(tmp_path, engine)
    store.commit({"a": build_document("a", ["原有内容"], segmenter())})
    index_dir = tmp_path / engine / "index"
    for path in index_dir.iterdir():
        if path.is_file():
            path.write_bytes(b"\x00garbage")
    reopened = IndexStore(tmp_path, engine)
    assert reopened.broken and reopened.created
    assert reopened.engine.stats()["documents"] == 0
    reopened.commit({"b": build_document("b", ["重建后的内容"], segmenter())})
    assert total(reopened, "重建后") == 1


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_deleted_index_is_recreated_empty(tmp_path, engine):
    import shutil

    store = IndexStore(tmp_path, engine)
    store.commit({"a": build_document("a", ["原有内容"], segmenter())})
    shutil.rmtree(tmp_path / engine / "index")
    reopened = IndexStore(tmp_path, engine)
    assert reopened.created and not reopened.broken
    assert reopened.engine.stats()["documents"] == 0


def test_a_bad_spool_file_is_set_aside_and_does_not_block_writing(tmp_path):
    store = IndexStore(tmp_path, "tantivy")
    (store.spool / "00000000000000000001-999-00000000.json").write_text(
        '{"x": {"unknown": 1}}'
    )
    (store.spool / "00000000000000000002-999-00000000.json").write_text("not json")
    doc = build_document("good", ["照常写入"], segmenter())
    store.commit({doc.uid: doc})
    assert total(store, "照常写入") == 1
    assert store.pending() == [] and len(list(store.spool.glob("*.bad"))) == 2
