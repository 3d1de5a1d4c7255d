{#-
    Month-over-month spend per customer: every calendar month from the
    customer's first month with a transaction to the last complete month
    before the run date, months without spend included (0), so a gap is a
    real drop and not a skipped row.
-#}
with

run_context as (

    select
        cast({{ dbt.date_trunc('month', 'run_date') }} as date) as current_month

    from {{ ref('stg_run_context') }}

),

monthly as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as spend_month,
        sum(approved_amount) as spend,
        sum(case when is_approved then 1 else 0 end) as approved_transactions

    from {{ ref('fct_transactions') }}
    group by
        customer_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date)

),

first_months as (

    select
        customer_id,
        min(spend_month) as first_month

    from monthly
    group by customer_id

),

numbers as (

    {{ dbt.generate_series(600) }}

),

bounds as (

    select min(first_month) as first_month from first_months

),

months as (

    select
        cast(
            {{ dbt.dateadd('month', 'numbers.generated_number - 1', 'bounds.first_month') }}
            as date
        ) as spend_month

    from numbers
    cross join bounds

),

grid as (

    select
        first_months.customer_id,
        months.spend_month

    from first_months
    inner join months
        on first_months.first_month <= months.spend_month
    cross join run_context
    where months.spend_month < run_context.current_month

),

filled as (

    select
        grid.customer_id,
        grid.spend_month,
        cast(coalesce(monthly.spend, 0) as decimal(14, 2)) as spend,
        coalesce(monthly.approved_transactions, 0) as approved_transactions

    from grid
    left join monthly
        on
            grid.customer_id = monthly.customer_id
            and grid.spend_month = monthly.spend_month

),

final as (

    select
        {{ surrogate_key(['customer_id', 'spend_month']) }} as customer_month_key,
        customer_id,
        spend_month,
        spend,
        approved_transactions,
        lag(spend) over (partition by customer_id order by spend_month) as previous_spend,
        spend - lag(spend) over (partition by customer_id order by spend_month) as spend_change,
        cast(
            100.0
            * (spend - lag(spend) over (partition by customer_id order by spend_month))
            / nullif(lag(spend) over (partition by customer_id order by spend_month), 0)
            as decimal(10, 2)
        ) as spend_change_pct

    from filled

)

select * from final
