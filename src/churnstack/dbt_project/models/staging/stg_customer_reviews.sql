with

source as (

    select * from {{ source('raw', 'customer_reviews') }}

),

renamed as (

    select
        cast(review_id as varchar) as review_id,
        cast(customer_id as varchar) as customer_id,
        cast(rating as integer) as rating,
        cast(review_text as varchar) as review_text,
        cast(created_at as timestamp) as created_at,
        cast(channel as varchar) as channel,
        cast(metadata_device as varchar) as device,
        cast(metadata_app_version as varchar) as app_version,
        cast(metadata_language as varchar) as language_code,
        -- JSON array kept as text; int_customer_metrics reads it portably
        cast(tags as varchar) as tags_json,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
