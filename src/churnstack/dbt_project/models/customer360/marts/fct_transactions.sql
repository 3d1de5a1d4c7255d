{#-
    Incremental: the first build takes every raw transaction; later runs take
    the rows loaded since the last build (raw.transactions is merged on
    transaction_id and every merged row carries its run's _load_time and
    _run_id) plus the current run's rows (a re-run), and replace them by
    transaction_id (delete+insert), so a re-run or a corrected transaction
    never duplicates. Each transaction joins the customer version valid at
    its time (SCD2, by date).
-#}
{{
    config(
        materialized='incremental',
        unique_key='transaction_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

-- depends_on: {{ ref('stg_run_context') }}

with

transactions as (

    select * from {{ ref('stg_transactions') }}
    {% if is_incremental() %}
        where
            _load_time > (select max(existing._load_time) from {{ this }} as existing)
            or _run_id = {{ current_run_id() }}
    {% endif %}

),

customer_versions as (

    select
        customer_version_key,
        customer_id,
        customer_segment,
        valid_from,
        valid_to

    from {{ ref('dim_customer_history') }}

),

merchant_categories as (

    select
        merchant_category_key,
        merchant_category

    from {{ ref('dim_merchant_category') }}

),

final as (

    select
        {{ surrogate_key(['transactions.transaction_id']) }} as transaction_key,
        transactions.transaction_id,
        transactions.customer_id,
        customer_versions.customer_version_key,
        customer_versions.customer_segment,
        {{ date_key('transactions.transaction_date') }} as transaction_date_key,
        transactions.transaction_at,
        transactions.transaction_date,
        merchant_categories.merchant_category_key,
        transactions.merchant_name,
        transactions.merchant_category,
        transactions.channel,
        transactions.status,
        transactions.is_approved,
        transactions.transaction_amount,
        case
            when transactions.is_approved then transactions.transaction_amount
            else cast(0 as decimal(12, 2))
        end as approved_amount,
        transactions._run_id,
        transactions._load_time

    from transactions
    left join customer_versions
        on
            transactions.customer_id = customer_versions.customer_id
            and transactions.transaction_at >= customer_versions.valid_from
            and transactions.transaction_at < customer_versions.valid_to
    left join merchant_categories
        on transactions.merchant_category = merchant_categories.merchant_category

)

select * from final
