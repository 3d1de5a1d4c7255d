{#-
    One channel's slice of int_complaints, with the columns every complaint fact
    shares. fct_call_logs, fct_web_complaints and fct_social_media are this
    macro with a different channel, so their columns can never drift apart.
-#}
{% macro complaint_channel_fact(channel) -%}
with

complaints as (

    select * from {{ ref('int_complaints') }}

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
    from complaints
    where channel = '{{ channel }}'

)

select * from final
{%- endmacro %}
