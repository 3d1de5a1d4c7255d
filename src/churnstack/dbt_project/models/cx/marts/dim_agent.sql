with

agents as (

    select * from {{ ref('stg_agents') }}

),

unassigned as (

    select
        {{ unassigned_agent_id() }} as agent_id,
        'Unassigned' as agent_name,
        cast(null as varchar) as experience,
        cast(null as varchar) as state,
        true as is_unassigned

),

final as (

    select
        agent_id,
        agent_name,
        experience,
        state,
        false as is_unassigned
    from agents

    union all

    select * from unassigned

)

select * from final
