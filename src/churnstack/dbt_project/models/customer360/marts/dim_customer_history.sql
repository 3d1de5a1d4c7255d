{#-
    SCD2 customer dimension (seed 003's dim_customer) from snap_customers.
    Conformed with the churn area's dim_customer: the same natural key
    (customer_id, the Telco ids) and the same customer_key (the loader's keyed
    hash of customer_id), so either dimension joins the other on customer_key.
-#}
with

snapshot as (

    select * from {{ ref('snap_customers') }}

),

versions as (

    select
        customer_id,
        customer_pseudonym,
        first_name,
        last_name,
        email,
        age,
        state,
        city,
        employment_status,
        card_type,
        credit_limit,
        account_open_date,
        customer_segment,
        decline_type,
        valid_from as recorded_from,
        valid_to as recorded_to,
        _run_id,
        row_number() over (partition by customer_id order by valid_from) as version_number

    from snapshot

),

final as (

    select
        {{ surrogate_key(['customer_id', 'recorded_from']) }} as customer_version_key,
        customer_id,
        customer_pseudonym as customer_key,
        first_name,
        last_name,
        email,
        age,
        state,
        city,
        employment_status,
        card_type,
        credit_limit,
        account_open_date,
        customer_segment,
        decline_type,
        version_number,
        case
            when version_number = 1 then {{ scd2_beginning() }}
            else recorded_from
        end as valid_from,
        recorded_to as valid_to,
        recorded_to = {{ scd2_end_of_time() }} as is_current,
        recorded_from as recorded_at,
        _run_id

    from versions

)

select * from final
