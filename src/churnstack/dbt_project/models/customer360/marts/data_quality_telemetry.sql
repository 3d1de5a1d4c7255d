{#-
    Seed 003's twelve post-generation checks, recorded for every run (one row
    per run and check, kept across runs: incremental, delete+insert on run_id
    and check_name). They read the staging views of the raw tables, so they
    see exactly what was loaded. A check that fails makes
    tests/assert_data_quality_telemetry_passes.sql fail, so the run publishes
    nothing. Without any customer 360 data (the area is switched off) every
    check is 'skipped'. Tagged run_record: like data_quality_metrics, it
    records tested runs only (a backfill's earlier dates are not tested).

    The thresholds are per customer or per share, so they hold at every scale:
    seed 003's "10M-17M transactions for 50,000 customers" is 200-340 per
    customer over 18 months.
-#}
{{
    config(
        materialized='incremental',
        unique_key=['run_id', 'check_name'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        tags=['run_record'],
    )
}}

{%- set channels = ['Online', 'In-Store', 'Mobile'] -%}

with

run_window as (

    select
        run_id,
        run_date,
        run_time,
        cast({{ dbt.dateadd('month', -18, 'run_date') }} as date) as window_start,
        cast({{ dbt.date_trunc('month', 'run_date') }} as date) as current_month

    from {{ ref('stg_run_context') }}

),

-- window_start: 18 months before the run date; first_full_month: the first calendar
-- month wholly inside the window
run_context as (

    select
        *,
        cast(
            {{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'window_start')) }} as date
        ) as first_full_month

    from run_window

),

transactions as (

    select * from {{ ref('stg_transactions') }}

),

customers as (

    select * from {{ ref('stg_customers') }}

),

-- One pass over the transactions, joined to their customer, summed into a small cube
-- (month x category x channel x segment): every check but the distinct counts reads it.
cube as (

    select
        cast({{ dbt.date_trunc('month', 'transactions.transaction_date') }} as date)
            as transaction_month,
        transactions.merchant_category,
        transactions.channel,
        customers.customer_segment,
        customers.customer_id is null as is_orphan,
        count(*) as row_count,
        sum(case when transactions.is_approved then 1 else 0 end) as approved_rows,
        sum(
            case when transactions.is_approved then transactions.transaction_amount else 0 end
        ) as approved_amount,
        sum(
            case when transactions.transaction_id is null then 1 else 0 end
            + case when transactions.customer_id is null then 1 else 0 end
            + case when transactions.transaction_at is null then 1 else 0 end
            + case when transactions.transaction_amount is null then 1 else 0 end
            + case when transactions.merchant_name is null then 1 else 0 end
            + case when transactions.merchant_category is null then 1 else 0 end
            + case when transactions.channel is null then 1 else 0 end
            + case when transactions.status is null then 1 else 0 end
        ) as null_values,
        sum(
            case
                when
                    transactions.transaction_amount <= 0
                    or transactions.transaction_amount >= 10000
                    then 1
                else 0
            end
        ) as bad_amounts,
        sum(
            case
                when
                    transactions.transaction_date > run_context.window_start
                    and transactions.transaction_date <= run_context.run_date
                    then 1
                else 0
            end
        ) as window_rows,
        min(transactions.transaction_date) as first_date,
        max(transactions.transaction_date) as last_date

    from transactions
    cross join run_context
    left join customers
        on transactions.customer_id = customers.customer_id
    group by
        cast({{ dbt.date_trunc('month', 'transactions.transaction_date') }} as date),
        transactions.merchant_category,
        transactions.channel,
        customers.customer_segment,
        customers.customer_id is null

),

transaction_stats as (

    select
        coalesce(sum(row_count), 0) as total_rows,
        sum(approved_rows) as approved_rows,
        sum(null_values) as null_values,
        sum(bad_amounts) as bad_amounts,
        sum(window_rows) as window_rows,
        sum(case when is_orphan then row_count else 0 end) as orphan_rows,
        {%- for channel in channels %}
        sum(case when channel = '{{ channel }}' then row_count else 0 end)
            as channel_{{ loop.index }},
        {%- endfor %}
        min(first_date) as first_date,
        max(last_date) as last_date

    from cube

),

distinct_ids as (

    select count(distinct transaction_id) as distinct_ids
    from transactions

),

history_span as (

    select
        {{ dbt.datediff('first_date', 'last_date', 'month') }}
            as history_months

    from transaction_stats

),

buyers as (

    select customer_id
    from transactions
    group by customer_id

),

customer_stats as (

    select
        count(*) as customer_count,
        sum(case when buyers.customer_id is null then 1 else 0 end) as without_transactions

    from customers
    left join buyers
        on customers.customer_id = buyers.customer_id

),

segment_stats as (

    select
        {%- for name, segment in [
            ('high_value', 'High-Value Travelers'),
            ('stable', 'Stable Mid-Spenders'),
            ('budget', 'Budget-Conscious'),
        ] %}
        sum(case when cube.customer_segment = '{{ segment }}' then cube.approved_amount end)
        / nullif(
            sum(case when cube.customer_segment = '{{ segment }}' then cube.approved_rows end), 0
        ) as {{ name }}_avg,
        {%- endfor %}
        -- Declining customers' spend in the first and the last three full months
        sum(
            case
                when
                    cube.customer_segment = 'Declining'
                    and cube.transaction_month >= run_context.first_full_month
                    and cube.transaction_month
                    < {{ dbt.dateadd('month', 3, 'run_context.first_full_month') }}
                    then cube.approved_amount
                else 0
            end
        ) as declining_first_spend,
        sum(
            case
                when
                    cube.customer_segment = 'Declining'
                    and cube.transaction_month
                    >= {{ dbt.dateadd('month', -3, 'run_context.current_month') }}
                    and cube.transaction_month < run_context.current_month
                    then cube.approved_amount
                else 0
            end
        ) as declining_last_spend

    from cube
    cross join run_context

),

category_counts as (

    select
        merchant_category,
        sum(row_count) as category_rows

    from cube
    group by merchant_category

),

category_stats as (

    select
        count(*) as category_count,
        max(category_rows) as largest_category_rows

    from category_counts

),

-- transactions per full calendar month inside the window (the first and the run's
-- month are partial and left out)
monthly_counts as (

    select
        cube.transaction_month,
        sum(cube.row_count) as month_rows

    from cube
    cross join run_context
    where
        cube.transaction_month >= run_context.first_full_month
        and cube.transaction_month < run_context.current_month
    group by cube.transaction_month

),

monthly_stats as (

    select
        count(*) as months_present,
        avg(month_rows) as avg_month_rows,
        min(month_rows) as min_month_rows,
        max(month_rows) as max_month_rows

    from monthly_counts

),

facts as (

    select
        run_context.run_id,
        run_context.run_date,
        run_context.run_time,
        run_context.current_month,
        transaction_stats.*,
        distinct_ids.distinct_ids,
        least(
            {%- for channel in channels %}
            transaction_stats.channel_{{ loop.index }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as smallest_channel_rows,
        {%- for channel in channels %}
        transaction_stats.channel_{{ loop.index }}{% if not loop.last %} +{% endif %}
        {%- endfor %} as known_channel_rows,
        history_span.history_months,
        customer_stats.customer_count,
        customer_stats.without_transactions,
        segment_stats.high_value_avg,
        segment_stats.stable_avg,
        segment_stats.budget_avg,
        segment_stats.declining_first_spend,
        segment_stats.declining_last_spend,
        category_stats.category_count,
        category_stats.largest_category_rows,
        monthly_stats.months_present,
        monthly_stats.avg_month_rows,
        monthly_stats.min_month_rows,
        monthly_stats.max_month_rows,
        {{ dbt.datediff('run_context.first_full_month', 'run_context.current_month', 'month') }}
            as months_expected,
        transaction_stats.total_rows > 0 or customer_stats.customer_count > 0 as has_data

    from run_context
    cross join transaction_stats
    cross join distinct_ids
    cross join history_span
    cross join customer_stats
    cross join segment_stats
    cross join category_stats
    cross join monthly_stats

),

checks as (

    select
        1 as check_order,
        'row_count' as check_name,
        'Transactions per customer over the last 18 months' as description,
        cast(1.0 * window_rows / nullif(customer_count, 0) as double precision) as observed_value,
        'between 200 and 340 (10M-17M for 50,000 customers)' as expected,
        coalesce(1.0 * window_rows / nullif(customer_count, 0) between 200 and 340, false)
            as is_passed
    from facts

    union all

    select
        2 as check_order,
        'unique_transaction_ids' as check_name,
        'Rows sharing a transaction_id with another row' as description,
        cast(total_rows - distinct_ids as double precision) as observed_value,
        '0' as expected,
        total_rows = distinct_ids as is_passed
    from facts

    union all

    select
        3 as check_order,
        'null_values' as check_name,
        'Null values in the 8 transaction fields' as description,
        cast(coalesce(null_values, 0) as double precision) as observed_value,
        '0' as expected,
        coalesce(null_values, 0) = 0 as is_passed
    from facts

    union all

    select
        4 as check_order,
        'customer_representation' as check_name,
        'Customers without any transaction' as description,
        cast(coalesce(without_transactions, 0) as double precision) as observed_value,
        '0 (every customer represented)' as expected,
        coalesce(without_transactions, 0) = 0 and customer_count > 0 as is_passed
    from facts

    union all

    select
        5 as check_order,
        'referential_integrity' as check_name,
        'Transactions whose customer_id is not in the customer file' as description,
        cast(coalesce(orphan_rows, 0) as double precision) as observed_value,
        '0' as expected,
        coalesce(orphan_rows, 0) = 0 as is_passed
    from facts

    union all

    select
        6 as check_order,
        'date_range' as check_name,
        'Months of history (first to last transaction); nothing after the run date'
            as description,
        cast(history_months as double precision) as observed_value,
        'at least 17 months, last transaction on or before the run date' as expected,
        coalesce(history_months >= 17 and last_date <= run_date, false) as is_passed
    from facts

    union all

    select
        7 as check_order,
        'transaction_amounts' as check_name,
        'Transactions with an amount <= 0 or >= 10,000' as description,
        cast(coalesce(bad_amounts, 0) as double precision) as observed_value,
        '0 (positive and under $10K)' as expected,
        coalesce(bad_amounts, 0) = 0 as is_passed
    from facts

    union all

    select
        8 as check_order,
        'status_distribution' as check_name,
        'Percent of transactions approved' as description,
        cast(100.0 * approved_rows / nullif(total_rows, 0) as double precision)
            as observed_value,
        'between 95 and 99 (about 97)' as expected,
        coalesce(100.0 * approved_rows / nullif(total_rows, 0) between 95 and 99, false)
            as is_passed
    from facts

    union all

    select
        9 as check_order,
        'channel_distribution' as check_name,
        'Smallest share (percent) of Online, In-Store and Mobile; other values' as description,
        cast(100.0 * smallest_channel_rows / nullif(total_rows, 0) as double precision)
            as observed_value,
        'each channel at least 10 percent, no other value' as expected,
        coalesce(
            100.0 * smallest_channel_rows / nullif(total_rows, 0) >= 10
            and known_channel_rows = total_rows,
            false
        ) as is_passed
    from facts

    union all

    select
        10 as check_order,
        'merchant_category_distribution' as check_name,
        'Largest merchant category share (percent)' as description,
        cast(100.0 * largest_category_rows / nullif(total_rows, 0) as double precision)
            as observed_value,
        'at most 40 percent, at least 5 categories' as expected,
        coalesce(
            100.0 * largest_category_rows / nullif(total_rows, 0) <= 40
            and category_count >= 5,
            false
        ) as is_passed
    from facts

    union all

    select
        11 as check_order,
        'segment_patterns' as check_name,
        'Average approved ticket, High-Value Travelers over Budget-Conscious' as description,
        cast(high_value_avg / nullif(budget_avg, 0) as double precision) as observed_value,
        'High-Value > Stable > Budget average ticket; Declining spend falls' as expected,
        coalesce(
            high_value_avg > stable_avg
            and stable_avg > budget_avg
            and declining_last_spend < declining_first_spend,
            false
        ) as is_passed
    from facts

    union all

    select
        12 as check_order,
        'monthly_trends' as check_name,
        'Largest deviation (percent) of a full month''s transactions from the average'
            as description,
        cast(
            100.0 * greatest(
                max_month_rows - avg_month_rows, avg_month_rows - min_month_rows
            ) / nullif(avg_month_rows, 0) as double precision
        ) as observed_value,
        'at most 40 percent, every full month present' as expected,
        coalesce(
            100.0 * greatest(
                max_month_rows - avg_month_rows, avg_month_rows - min_month_rows
            ) / nullif(avg_month_rows, 0) <= 40
            and months_present = months_expected,
            false
        ) as is_passed
    from facts

),

final as (

    select
        {{ surrogate_key(['facts.run_id', 'checks.check_name']) }} as telemetry_id,
        facts.run_id,
        facts.run_date,
        facts.run_time,
        checks.check_order,
        checks.check_name,
        checks.description,
        checks.observed_value,
        checks.expected,
        case
            when not facts.has_data then 'skipped'
            when checks.is_passed then 'pass'
            else 'fail'
        end as status

    from checks
    cross join facts

)

select * from final
