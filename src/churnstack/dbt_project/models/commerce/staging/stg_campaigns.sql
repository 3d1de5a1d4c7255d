with

source as (

    select * from {{ source('raw', 'campaigns') }}

),

renamed as (

    select
        cast(campaign_id as varchar) as campaign_id,
        cast(campaign_name as varchar) as campaign_name,
        cast(channel as varchar) as channel,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(budget as decimal(14, 2)) as budget,
        cast(target_segment as varchar) as target_segment,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
