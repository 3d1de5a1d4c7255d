{#-
    Named after seed 003's view, built as a (small) table: the published
    snapshot is a copy of the warehouse file under another name, where a DuckDB
    view's stored, catalog-qualified SQL would no longer resolve.
-#}
{#- run_record like its parent: a backfill's untested dates build neither. -#}
{{ config(materialized='table', tags=['run_record']) }}

with

telemetry as (

    select * from {{ ref('data_quality_telemetry') }}

),

final as (

    select
        run_id,
        run_date,
        run_time,
        count(*) as checks_total,
        sum(case when status = 'pass' then 1 else 0 end) as checks_passed,
        sum(case when status = 'fail' then 1 else 0 end) as checks_failed,
        sum(case when status = 'skipped' then 1 else 0 end) as checks_skipped,
        cast(
            100.0
            * sum(case when status = 'pass' then 1 else 0 end)
            / nullif(sum(case when status <> 'skipped' then 1 else 0 end), 0)
            as decimal(5, 1)
        ) as pass_rate_pct,
        {{ dbt.listagg(
            "case when status = 'fail' then check_name end",
            "', '",
            "order by check_order"
        ) }} as failed_checks

    from telemetry
    group by run_id, run_date, run_time

)

select * from final
