"""Readers for the structured formats agencies publish: HTML, DOCX and PDF.

Each turns a file into plain text in which every table row is one line of
tab-separated cells, so the text parser reads all formats the same way.
"""
