{#-
    Recency, frequency and monetary quintiles over the 365 days ending on the
    run date (approved transactions). Each score is 1-5 (5 = best: most
    recent, most frequent, highest spend), by ntile over all scored
    customers; ties are broken by customer_id so the scores are deterministic.
-#}
with

run_context as (

    select run_date from {{ ref('stg_run_context') }}

),

customers as (

    select
        customer_id,
        customer_segment

    from {{ ref('dim_customer_history') }}
    where is_current

),

purchases as (

    select
        fct.customer_id,
        fct.transaction_date,
        fct.approved_amount

    from {{ ref('fct_transactions') }} as fct
    cross join run_context
    where
        fct.is_approved
        and fct.transaction_date > {{ dbt.dateadd('day', -365, 'run_context.run_date') }}
        and fct.transaction_date <= run_context.run_date

),

per_customer as (

    select
        customer_id,
        max(transaction_date) as last_purchase_date,
        count(*) as frequency,
        sum(approved_amount) as monetary

    from purchases
    group by customer_id

),

scored as (

    select
        customers.customer_id,
        customers.customer_segment,
        per_customer.last_purchase_date,
        {{ dbt.datediff('per_customer.last_purchase_date', 'run_context.run_date', 'day') }}
            as recency_days,
        per_customer.frequency,
        cast(per_customer.monetary as decimal(14, 2)) as monetary,
        ntile(5) over (
            order by per_customer.last_purchase_date asc, customers.customer_id asc
        ) as recency_score,
        ntile(5) over (
            order by per_customer.frequency asc, customers.customer_id asc
        ) as frequency_score,
        ntile(5) over (
            order by per_customer.monetary asc, customers.customer_id asc
        ) as monetary_score

    from customers
    inner join per_customer
        on customers.customer_id = per_customer.customer_id
    cross join run_context

),

final as (

    select
        customer_id,
        customer_segment,
        last_purchase_date,
        recency_days,
        frequency,
        monetary,
        recency_score,
        frequency_score,
        monetary_score,
        recency_score * 100 + frequency_score * 10 + monetary_score as rfm_score,
        case
            when
                recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4
                then 'Champions'
            when recency_score >= 3 and frequency_score >= 4 then 'Loyal'
            when recency_score >= 4 and frequency_score <= 2 then 'Recent'
            when recency_score <= 2 and frequency_score >= 3 then 'At Risk'
            when recency_score <= 2 then 'Hibernating'
            else 'Needs Attention'
        end as rfm_segment

    from scored

)

select * from final
