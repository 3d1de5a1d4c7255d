{#-
    One row per current customer: the profile (current SCD2 version), the
    churn area's attributes for the same customer (dim_customer / fct_churn,
    joined on the conformed customer_id), spend (lifetime and the run date's
    90-day window), RFM, orders and the last activity on any channel.
-#}
with

run_context as (

    select run_date from {{ ref('stg_run_context') }}

),

customers as (

    select * from {{ ref('dim_customer_history') }}
    where is_current

),

churn as (

    select
        customer_id,
        tenure_months,
        churn_flag,
        churn_reason

    from {{ ref('dim_customer') }}

),

churn_facts as (

    select
        customer_id,
        contract_type,
        monthly_charges,
        revenue_impact

    from {{ ref('fct_churn') }}

),

ltv as (

    select * from {{ ref('metric_customer_ltv') }}

),

segments as (

    select
        segments.customer_id,
        segments.transactions_90d,
        segments.spend_90d,
        segments.spend_change_pct,
        segments.activity_status

    from {{ ref('customer_segments') }} as segments
    inner join run_context
        on segments.as_of_date = run_context.run_date

),

rfm as (

    select
        customer_id,
        rfm_score,
        rfm_segment

    from {{ ref('rfm_scores') }}

),

orders as (

    select
        customer_id,
        count(*) as orders,
        sum(case when is_completed then net_amount else 0 end) as order_revenue,
        max(ordered_at) as last_order_at

    from {{ ref('fct_orders') }}
    group by customer_id

),

sessions as (

    select
        customer_id,
        count(distinct session_id) as web_sessions,
        max(event_at) as last_web_event_at

    from {{ ref('fct_clickstream') }}
    where customer_id is not null
    group by customer_id

),

complaints as (

    select * from {{ ref('int_customer_complaints') }}

),

final as (

    select
        customers.customer_id,
        customers.customer_key,
        customers.customer_version_key,
        customers.first_name,
        customers.last_name,
        customers.email,
        customers.age,
        customers.city,
        customers.state,
        customers.employment_status,
        customers.card_type,
        customers.credit_limit,
        customers.account_open_date,
        customers.customer_segment,
        customers.decline_type,
        churn.customer_id is not null as has_telco_account,
        churn.tenure_months as telco_tenure_months,
        churn_facts.contract_type as telco_contract_type,
        churn_facts.monthly_charges as telco_monthly_charges,
        churn.churn_flag as is_churned,
        churn.churn_reason,
        coalesce(ltv.lifetime_value, 0) as lifetime_value,
        coalesce(ltv.approved_transactions, 0) as lifetime_transactions,
        ltv.avg_transaction_value,
        coalesce(segments.transactions_90d, 0) as transactions_90d,
        coalesce(segments.spend_90d, 0) as spend_90d,
        segments.spend_change_pct as spend_change_90d_pct,
        coalesce(segments.activity_status, 'inactive') as activity_status,
        rfm.rfm_score,
        rfm.rfm_segment,
        coalesce(orders.orders, 0) as orders,
        coalesce(orders.order_revenue, 0) as order_revenue,
        coalesce(sessions.web_sessions, 0) as web_sessions,
        coalesce(complaints.complaint_count, 0) as complaint_count,
        coalesce(complaints.call_complaint_count, 0) as call_complaint_count,
        coalesce(complaints.web_complaint_count, 0) as web_complaint_count,
        coalesce(complaints.social_complaint_count, 0) as social_complaint_count,
        coalesce(complaints.backlog_count, 0) as complaint_backlog_count,
        complaints.last_complaint_date,
        ltv.last_transaction_date,
        orders.last_order_at,
        sessions.last_web_event_at,
        nullif(
            greatest(
                coalesce(cast(ltv.last_transaction_date as timestamp), {{ scd2_beginning() }}),
                coalesce(orders.last_order_at, {{ scd2_beginning() }}),
                coalesce(sessions.last_web_event_at, {{ scd2_beginning() }})
            ),
            {{ scd2_beginning() }}
        ) as last_activity_at

    from customers
    left join churn
        on customers.customer_id = churn.customer_id
    left join churn_facts
        on customers.customer_id = churn_facts.customer_id
    left join ltv
        on customers.customer_id = ltv.customer_id
    left join segments
        on customers.customer_id = segments.customer_id
    left join rfm
        on customers.customer_id = rfm.customer_id
    left join orders
        on customers.customer_id = orders.customer_id
    left join sessions
        on customers.customer_id = sessions.customer_id
    left join complaints
        on customers.customer_id = complaints.customer_id

)

select * from final
