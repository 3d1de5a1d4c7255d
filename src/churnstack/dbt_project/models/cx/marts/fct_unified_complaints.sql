-- depends_on: {{ ref('stg_run_context') }}
{{
    config(
        materialized='incremental',
        unique_key='complaint_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

{#-
    Incremental on ingestion time: a run adds the rows ingested at or after the
    newest ingestion already here, plus the rows of the run itself (a re-run of
    an older date). Rows of the same complaint replace the old ones (unique_key),
    so re-running a date adds nothing.
-#}

with

calls as (

    select * from {{ ref('fct_call_logs') }}

),

web_complaints as (

    select * from {{ ref('fct_web_complaints') }}

),

social_media as (

    select * from {{ ref('fct_social_media') }}

),

unioned as (

    select * from calls
    union all
    select * from web_complaints
    union all
    select * from social_media

),

final as (

    select
        complaint_id,
        source_complaint_id,
        channel,
        customer_id,
        agent_id,
        complaint_category,
        resolution_status,
        is_backlog,
        is_resolved,
        media_channel,
        complaint_at,
        complaint_date,
        resolved_at,
        handling_seconds,
        handling_minutes,
        unparsed_timestamps,
        source_file,
        ingested_at
    from unioned
    {% if is_incremental() %}
        where
            ingested_at >= (select max(ingested_at) from {{ this }})
            or ingested_at = {{ current_run_time() }}
    {% endif %}

)

select * from final
