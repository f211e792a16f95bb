"""The notebooks' helpers: the top layer.

``analysis`` shapes the panel and the cells into what a notebook shows; ``figures`` draws
them with bilingual labels.
"""
