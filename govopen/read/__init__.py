"""Bytes → text: the first layer.

``sources.load`` tells a report's format from its bytes (plain text in any of the
encodings agencies use, HTML, DOCX, old binary Word .doc/.wps, PDF) and gives one text in
which every table row is a line of tab-separated cells, so that ``govopen.parse`` reads
every format the same way. ``html``, ``docx``, ``doc`` and ``pdf`` are the readers;
``_text`` what they share (cell text, grids, the lines they become).
"""
