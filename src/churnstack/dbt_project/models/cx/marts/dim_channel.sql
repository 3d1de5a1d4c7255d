with

channels as (

    select
        'Call' as channel,
        'Phone call to the contact centre' as channel_description,
        'call_logs' as source_table,
        true as is_live_conversation
    union all
    select
        'Web' as channel,
        'Web form on the website (CRM)' as channel_description,
        'web_forms' as source_table,
        false as is_live_conversation
    union all
    select
        'Social' as channel,
        'Post or message on social media' as channel_description,
        'social_media' as source_table,
        false as is_live_conversation

),

final as (

    select * from channels

)

select * from final
