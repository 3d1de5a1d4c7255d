-- A source that lost more than its allowed share of rows to quarantine in this
-- run fails the build, so a broken export never reaches the published marts.
select
    table_name,
    source_rows,
    quarantined_rows,
    max_quarantine_share

from {{ ref('stg_load_audit') }}
where
    source_rows > 0
    and quarantined_rows > max_quarantine_share * source_rows
