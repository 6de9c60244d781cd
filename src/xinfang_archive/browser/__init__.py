"""The pages of the archive: every view, form and download (one module per
view or family of views, registered in this package's ZCML).  Views ask the
domain packages for what to show and never hold archival rules themselves;
``downloads`` sends every file and refusal."""

from xinfang_archive.browser.compile_lock import compile_one_at_a_time


compile_one_at_a_time()
