{#-
    Row-count reconciliation of the current load (grain of a failure: one
    table). For every row of raw._load_audit:
      - the raw table of that name exists,
      - source_rows = rows in the raw table from that run + quarantined_rows,
      - lake_rows   = rows in the raw table from that run,
      - quarantined_rows = rows in raw._quarantine for that table and run;
    and raw._quarantine has no rows for a table/run the audit does not list.
    The raw tables are found from the audit's table names at run time, so a
    new source is reconciled without editing this test.
-#}
{%- set audit_relation = source('raw', '_load_audit') -%}
{%- set quarantine_relation = source('raw', '_quarantine') -%}
{%- set audited_tables = [] -%}
{%- if execute -%}
    {%- set result = run_query("select distinct table_name from " ~ audit_relation ~ " where table_name is not null order by table_name") -%}
    {%- for table_name in result.columns[0].values() -%}
        {%- set relation = none -%}
        {%- if modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', table_name) -%}
            {%- set relation = adapter.get_relation(database=audit_relation.database, schema=audit_relation.schema, identifier=table_name) -%}
        {%- endif -%}
        {%- do audited_tables.append({'name': table_name | replace("'", "''"), 'relation': relation}) -%}
    {%- endfor -%}
{%- endif -%}

with

audit as (

    select
        table_name,
        run_id,
        source_rows,
        lake_rows,
        quarantined_rows

    from {{ audit_relation }}

),

raw_counts as (

    {%- for audited in audited_tables %}
    {%- if audited.relation is not none %}
    select
        '{{ audited.name }}' as table_name,
        true as table_exists,
        count(*) as raw_rows
    from {{ audited.relation }}
    where _run_id in (select audit.run_id from audit where audit.table_name = '{{ audited.name }}')
    {%- else %}
    select
        '{{ audited.name }}' as table_name,
        false as table_exists,
        cast(0 as bigint) as raw_rows
    {%- endif %}
    union all
    {%- endfor %}
    select
        cast(null as varchar) as table_name,
        false as table_exists,
        cast(0 as bigint) as raw_rows
    where 1 = 0

),

quarantine_counts as (

    select
        _table as table_name,
        _run_id as run_id,
        count(*) as quarantine_rows

    from {{ quarantine_relation }}
    group by _table, _run_id

),

checked as (

    select
        coalesce(audit.table_name, quarantine_counts.table_name) as table_name,
        coalesce(audit.run_id, quarantine_counts.run_id) as run_id,
        audit.source_rows,
        audit.lake_rows,
        audit.quarantined_rows,
        raw_counts.table_exists,
        raw_counts.raw_rows,
        coalesce(quarantine_counts.quarantine_rows, 0) as quarantine_table_rows

    from audit
    left join raw_counts
        on audit.table_name = raw_counts.table_name
    full outer join quarantine_counts
        on
            audit.table_name = quarantine_counts.table_name
            and audit.run_id = quarantine_counts.run_id

)

select *
from checked
where
    table_exists is distinct from true
    or source_rows is distinct from raw_rows + quarantined_rows
    or lake_rows is distinct from raw_rows
    or quarantined_rows is distinct from quarantine_table_rows
