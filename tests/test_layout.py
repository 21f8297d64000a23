"""layout.untangle on made-up rows of cells side by side, as a text browser lays them out:
each cell read whole, and the text kept the same length, in the same lines."""

import re

from aqparse.layout import untangle

# labels made up for these tests: a word, then ":" or ">"
_LABEL = re.compile(r" *(?:Couleur|Taille|Forme|Matière) *[:>]")


def _is_label(line):
    return _LABEL.match(line) is not None


def _untangled(lines):
    text = "\n".join(lines)
    out = untangle(text, is_label=_is_label, page=True)
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    return out


def _first_line(lines):
    return _untangled(lines).split("\n")[0].rstrip()


def test_a_label_split_over_the_lines_of_its_cell():
    # no cell holds its whole label on the row's first line
    assert _first_line(["Couleur        Taille         Forme",
                        "> rouge        > grande,      > carré",
                        "               large"]) == (
        "Couleur > rouge\tTaille > grande, large\tForme > carré")


def test_one_blank_between_cells_where_a_short_line_is_padded_to_the_next():
    assert _first_line(["Couleur Taille > grande",
                        ">       et large",
                        "rouge"]) == "Couleur > rouge\tTaille > grande et large"


def test_a_label_centred_beside_a_cell_wrapped_above_and_below_it():
    assert _first_line(["           Taille : grande    Forme >",
                        "Couleur :  et large           carré",
                        "           (mesurée)"]) == (
        "Couleur :\tTaille : grande et large (mesurée)\tForme > carré")


def test_a_line_of_its_own_above_a_row_is_left():
    out = _untangled(["Forme > carré",
                      "Couleur        Taille         Forme",
                      "> rouge        > grande       > rond"])
    assert [line.rstrip() for line in out.split("\n")[:2]] == [
        "Forme > carré", "Couleur > rouge\tTaille > grande\tForme > rond"]


def test_a_paragraph_wrapped_under_its_first_line_is_left():
    lines = ["Couleur : rouge vif   Taille : grande,", "et mate"]
    assert _untangled(lines) == "\n".join(lines)


def test_a_label_below_a_line_of_the_value_column_is_the_next_row():
    # a table of labels and values (lynx): the line in the values' column is a row of its
    # own, and the label below it starts the next row, not a cell centred beside it
    lines = ["   Couleur :   rouge",
             "               Taille :  grande   Forme :  carré",
             "   Matière :   bois"]
    assert _untangled(lines) == "\n".join(lines)


def test_words_lined_up_by_single_blanks_are_not_read_for_labels_at_each_blank():
    # found by a review: a block whose lines share many single blanks (justified text, words
    # of one letter) under a row's sign ("N° 1" and a gap) had each blank read for a label, on
    # every line: 500 times slower than before on such text. A row has a few cells; such a
    # block is no row of them (aqparse's own vocabulary here: "N°" is a label of it)
    from aqparse.tokenize import _BODY_HEADING, _is_label_line
    calls = []

    def counted(line):
        calls.append(line)
        return _is_label_line(line)

    line = " ".join(["a"] * 99)
    block = "N° 1  " + line[:190] + "\n" + "\n".join([line] * 7) + "\n\n"
    text = block * 50
    out = untangle(text, _BODY_HEADING, counted, page=True)
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    assert len(calls) < 50 * 50          # a few looks a block, not one a blank and a line


def test_markdown_marks_opening_no_pair_are_read_in_linear_time():
    # each '*' opening no pair was looked past for 2000 characters: 600 KB took ~17 s
    import time
    from aqparse.layout import markdown_undone
    for text in ("*a " * 200_000, "_a\n" * 200_000):
        started = time.perf_counter()
        undone = markdown_undone(text)
        assert time.perf_counter() - started < 3
        assert len(undone) == len(text) and undone.count("\n") == text.count("\n")
    assert markdown_undone("_a_b_ x *y* (*) *a * b*") == "a_b x y (*) a * b      "


def test_a_token_broken_at_a_slash_in_a_cell_of_a_borderless_row_is_joined_whole():
    # as a bordered table's cell is read: "17/04/" then "2019" is "17/04/2019", not a
    # date with a blank in it (a narrow text browser breaks a token after its slash)
    assert _first_line(["Couleur > rouge    Taille > 17/04/",
                        "et bleu            2019"]) == (
        "Couleur > rouge et bleu\tTaille > 17/04/2019")
