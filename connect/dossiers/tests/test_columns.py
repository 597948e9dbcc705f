"""The list's one column table (connect/dossiers/columns.py) and what derives from it."""

from connect.dossiers import columns
from connect.dossiers.list_rows import ROW


def test_every_list_column_has_its_cell_in_the_row_in_order():
    positions = [ROW.index("{%s}" % column.key) for column in columns.LIST_COLUMNS]  # noqa: UP031
    assert positions == sorted(positions)
    assert ROW.count("<td ") == len(columns.LIST_COLUMNS)


def test_the_loaded_fields_cover_every_list_cell_and_the_default_order():
    for column in columns.LIST_COLUMNS:
        assert set(column.fields) <= set(columns.ROW_FIELDS), column.key
    assert columns.SORT_FIELDS[columns.DEFAULT_SORT.lstrip("-")] in columns.ROW_FIELDS


def test_sort_keys_are_unique_and_exports_have_headers():
    keys = [column.key for column in columns.COLUMNS]
    assert len(keys) == len(set(keys))
    assert [column.export_header("BCA") for column in columns.EXPORT_COLUMNS][:1] == [
        "Référence BCA"
    ]
