"""Figures: the same bytes on every run, Chinese labels only with a Chinese font."""

from __future__ import annotations

import re
import warnings

import pytest

from govopen.research import figures, handling


@pytest.mark.slow
def test_save_figure_writes_the_same_bytes(tmp_path, seeds):
    shares = handling.outcome_shares(seeds.panel)
    a = figures.save_figure(figures.plot_outcome_shares(shares, seeds.sample()), "a", tmp_path)
    b = figures.save_figure(figures.plot_outcome_shares(shares, seeds.sample()), "b", tmp_path)
    assert a.read_bytes() == b.read_bytes()
    assert b"Software" not in a.read_bytes() and b"Creation" not in a.read_bytes()


def test_chinese_labels_need_a_chinese_font(monkeypatch):
    monkeypatch.setattr(figures, "cjk_fonts", lambda: [])
    with pytest.warns(UserWarning, match="no font with Chinese"):
        assert figures.use_language("zh") == "en"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figures.use_language("en") == "en"


def test_labels_come_from_the_schema():
    assert figures.row_label("unable_not_held") == "Unable: information not held"
    assert figures.row_label("denied_state_secret", "zh") == "属于国家秘密"
    assert figures.group_label("granted", "zh") == "予以公开与部分公开"
    assert all(not re.search(r"[\u4e00-\u9fff]", en) for en, _ in figures.TEXT.values())
