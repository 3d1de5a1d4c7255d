{#-
    One row per merchant category seen in the transactions, with its group.
    Categories outside the known list still get a row (group 'Other'), so a
    new category never loses its transactions.
-#}
with

transactions as (

    select * from {{ ref('stg_transactions') }}

),

categories as (

    select
        merchant_category,
        count(distinct merchant_name) as merchant_count

    from transactions
    where merchant_category is not null
    group by merchant_category

),

final as (

    select
        {{ surrogate_key(['merchant_category']) }} as merchant_category_key,
        merchant_category,
        case
            when merchant_category in ('Airlines', 'Hotels') then 'Travel'
            when
                merchant_category in ('Groceries', 'Gas & Fuel', 'Utilities', 'Healthcare')
                then 'Essentials'
            when
                merchant_category in ('Restaurants', 'Retail', 'Entertainment', 'Online Services')
                then 'Discretionary'
            else 'Other'
        end as category_group,
        merchant_category in ('Airlines', 'Hotels') as is_travel,
        merchant_count

    from categories

)

select * from final
