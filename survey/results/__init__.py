"""Results: the side-by-side comparison, the joint action plan, the PDF report and exports.

The blueprints live in :mod:`survey.results.views`; this package file stays empty so the
PDF child process (``python -m survey.results.pdf_worker``) imports nothing it does not need.
"""
