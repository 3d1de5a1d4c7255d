{#-
    SCD2 invariants, as generic tests on a history dimension:

    no_overlapping_validity: for each key, no two versions' [valid_from,
    valid_to) intervals overlap and none is empty or inverted. Fails with one
    row per offending pair of versions.

        data_tests:
          - no_overlapping_validity:
              arguments: {key: customer_id, valid_from: valid_from, valid_to: valid_to}

    one_current_row: every key has exactly one row flagged current. Fails with
    one row per key and its count of current rows.

        data_tests:
          - one_current_row:
              arguments: {key: customer_id, is_current: is_current}
-#}
{% test no_overlapping_validity(model, key, valid_from, valid_to) %}

with

versions as (

    select
        {{ key }} as key_value,
        {{ valid_from }} as valid_from,
        {{ valid_to }} as valid_to,
        row_number() over (partition by {{ key }} order by {{ valid_from }}, {{ valid_to }}) as version_order

    from {{ model }}

),

failures as (

    select
        earlier.key_value,
        earlier.valid_from as earlier_from,
        earlier.valid_to as earlier_to,
        later.valid_from as later_from,
        later.valid_to as later_to

    from versions as earlier
    inner join versions as later
        on
            earlier.key_value = later.key_value
            and earlier.version_order < later.version_order
            and later.valid_from < earlier.valid_to

    union all

    select
        key_value,
        valid_from as earlier_from,
        valid_to as earlier_to,
        null as later_from,
        null as later_to

    from versions
    where valid_from is null or valid_to is null or valid_from >= valid_to

)

select * from failures

{% endtest %}


{% test one_current_row(model, key, is_current) %}

select
    {{ key }} as key_value,
    sum(case when {{ is_current }} then 1 else 0 end) as current_rows

from {{ model }}
group by {{ key }}
having sum(case when {{ is_current }} then 1 else 0 end) <> 1

{% endtest %}
