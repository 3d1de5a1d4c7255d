{#-
    Categorical attributes whose nulls are imputed with the column's mode
    (most frequent value, ties to the smallest). The loader's contract makes
    them non-null, so this is a safety net for sources loaded by other means;
    a null here is also reported by the staging tests.
-#}
{%- set categorical_columns = [
    'gender',
    'is_senior_citizen',
    'has_partner',
    'has_dependents',
    'contract_type',
    'has_paperless_billing',
    'payment_method',
    'has_phone_service',
    'multiple_lines',
    'internet_service',
    'online_security',
    'online_backup',
    'device_protection',
    'tech_support',
    'streaming_tv',
    'streaming_movies',
] -%}

{#- The attributes that make a service configuration (dim_service). -#}
{%- set service_columns = [
    'has_phone_service',
    'multiple_lines',
    'internet_service',
    'online_security',
    'online_backup',
    'device_protection',
    'tech_support',
    'streaming_tv',
    'streaming_movies',
    'contract_type',
    'payment_method',
    'has_paperless_billing',
] -%}

with

customers as (

    select * from {{ ref('int_customer_with_location') }}

),

review_metrics as (

    select * from {{ ref('int_customer_metrics') }}

),

-- one row: the median of the known total_charges
charge_medians as (

    select {{ median_of('total_charges') }} as median_total_charges
    from customers

),

-- one row: the median, and the mode of each categorical column
imputation_values as (

    select
        charge_medians.median_total_charges,
        {%- for column in categorical_columns %}
        {{ mode_of(column, 'customers') }} as {{ column }}_mode
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from charge_medians

),

imputed as (

    select
        customers.customer_id,
        customers.customer_pseudonym,
        {%- for column in categorical_columns %}
        coalesce(customers.{{ column }}, imputation_values.{{ column }}_mode) as {{ column }},
        {%- endfor %}
        customers.tenure_months,
        customers.monthly_charges,
        customers.total_charges,
        cast(
            coalesce(customers.total_charges, imputation_values.median_total_charges, 0)
            as decimal(10, 2)
        ) as total_charges_imputed,
        customers.total_charges is null as is_total_charges_imputed,
        customers.is_churned,
        customers.zip_code,
        customers.city,
        customers.state,
        customers.lat,
        customers.lng,
        customers.population,
        customers.density,
        customers.has_location,
        customers._run_id,
        customers._load_time

    from customers
    cross join imputation_values

),

with_reviews as (

    select
        imputed.*,
        coalesce(review_metrics.review_count, 0) as review_count,
        review_metrics.avg_rating,
        review_metrics.last_review_at,
        coalesce(
            review_metrics.low_rating_review_count, 0
        ) as low_rating_review_count,
        review_metrics.latest_low_rating_tags

    from imputed
    left join review_metrics
        on imputed.customer_id = review_metrics.customer_id

),

final as (

    select
        with_reviews.*,

        case when with_reviews.is_churned then 1 else 0 end as churn_flag,

        case
            when with_reviews.monthly_charges < 35 then 'Low'
            when with_reviews.monthly_charges <= 70 then 'Medium'
            when with_reviews.monthly_charges > 70 then 'High'
        end as monthly_charges_category,

        case
            when with_reviews.tenure_months <= 12 then 'New'
            when with_reviews.tenure_months <= 48 then 'Medium'
            when with_reviews.tenure_months > 48 then 'Long'
        end as tenure_category,

        -- monthly revenue lost when the customer churned, else 0
        cast(
            case
                when with_reviews.is_churned then with_reviews.monthly_charges
                else 0
            end as decimal(10, 2)
        ) as revenue_impact,

        cast(
            {{ dbt.dateadd('month', '-1 * with_reviews.tenure_months', current_run_date()) }}
            as date
        ) as sign_up_date,

        case
            when with_reviews.is_churned then {{ current_run_date() }}
        end as churn_date,

        -- tags of the latest low-rated review, for churned customers only
        case
            when with_reviews.is_churned then with_reviews.latest_low_rating_tags
        end as churn_reason,

        {{ current_run_date() }} as snapshot_date,

        {{ surrogate_key(service_columns) }} as service_id,

        case
            when with_reviews.zip_code is null then {{ unknown_key() }}
            else {{ surrogate_key(['with_reviews.zip_code']) }}
        end as location_id

    from with_reviews

)

select * from final
