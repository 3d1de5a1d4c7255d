{#-
    json_array_to_text(column, separator): a JSON array held as text
    ('["billing", "network"]') -> 'billing, network', keeping the array order.
    Null, '[]' and an array of blanks give null. Engines parse JSON
    differently, hence the dispatch; the loader guarantees the text is valid
    JSON (it is stored by the lake as the contract's "json" type).
-#}
{% macro json_array_to_text(column, separator=', ') -%}
    {{ return(adapter.dispatch('json_array_to_text', 'churnstack')(column, separator)) }}
{%- endmacro %}

{% macro duckdb__json_array_to_text(column, separator) -%}
    nullif(trim(array_to_string(json_extract_string(cast({{ column }} as varchar), '$[*]'), '{{ separator }}')), '')
{%- endmacro %}

{% macro postgres__json_array_to_text(column, separator) -%}
    nullif(trim((
        select string_agg(element.value, '{{ separator }}' order by element.ordinality)
        from jsonb_array_elements_text(cast({{ column }} as jsonb)) with ordinality as element (value, ordinality)
    )), '')
{%- endmacro %}

{#- Fallback for engines without a JSON array function: strip the brackets and quotes. -#}
{% macro default__json_array_to_text(column, separator) -%}
    nullif(trim(replace(replace(replace({{ column }}, '[', ''), ']', ''), '"', '')), '')
{%- endmacro %}
