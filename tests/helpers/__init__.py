"""What more than one test module (or a benchmark) uses, other than fixtures
(those are in tests/conftest.py); import them as
``from tests.helpers.<module> import <name>``.

- archival: closed cases with real files, ready to be filed (make_pdf,
  add_document, add_reply, close_case, do, as_archivist, as_manager).
- audit: audit trail entries, the trail the search tests read, what the
  site's trail holds about an object, the throttle's clock.
- cases: petition case data as the add form and REST receive it
  (VALID_ID, case_data, case_json).
- cli: the command line of a real instance and the port it serves on
  (CLI, run, clean_env, free_port, status, wait_until_serving).
- disposition: appraisals proposing what to do with records (propose).
- earlywarning: the early-warning rules in the registry (set_rules).
- exchange: exchange XML as an older system writes it.
- hearings: hearings with cases and transcripts, ready to publish, and
  what their public pages must never show (SECRETS).
- load: a steady flow of requests against a serving instance (Load).
- meetings: coordination meetings with their decisions on cases.
- package_xml: a record's metadata and envelope (full_record, make_envelope).
- pdf: PDFs read back: text, pages, page sizes, embedded fonts.
- permissions_doc: the tables of docs/permissions.md (read_matrix).
- postgres: the tests' own PostgreSQL cluster, and ZODBs on RelStorage in it.
- records: records filed on their own (accepted_report).
- relations: relation values pointing at content (relation).
- screening: screening reports (矛盾纠纷排查) and their disputes.
- search: cases committed to a site's search index, and what a search finds.
- search_log: index documents published through the change log at commit.
- staff: the bureau's staff users, their groups and password (STAFF,
  STAFF_UNITS, STAFF_PASSWORD, member_of).
- transactions: transaction participants that fail on purpose (FailingVote).
- translation: messages in the zh_CN catalog's Chinese (zh).
- views: a view of the add-on, rendered (render).
- workflows: a workflow's diagram against its definition (diagram_edges_missing).
"""
