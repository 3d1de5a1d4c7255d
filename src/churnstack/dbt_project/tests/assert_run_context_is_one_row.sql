-- The loader writes exactly one run context per load; anything else would
-- make the scalar subqueries of the current_run_* macros ambiguous.
select count(*) as run_context_rows
from {{ ref('stg_run_context') }}
having count(*) <> 1
