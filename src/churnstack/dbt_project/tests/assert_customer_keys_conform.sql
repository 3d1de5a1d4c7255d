{{ config(tags=['customer360']) }}

-- Conformance of the two customer dimensions: a customer in both the churn area's
-- dim_customer and the SCD2 dim_customer_history has the same customer_key (the
-- loader's keyed hash of the same customer_id) in every version.
select
    history.customer_id,
    history.customer_version_key,
    history.customer_key as history_customer_key,
    churn.customer_key as churn_customer_key

from {{ ref('dim_customer_history') }} as history
inner join {{ ref('dim_customer') }} as churn
    on history.customer_id = churn.customer_id
where history.customer_key <> churn.customer_key
