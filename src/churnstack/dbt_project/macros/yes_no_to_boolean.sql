{#-
    'Yes' -> true, 'No' -> false, anything else (null, blank, 'No internet
    service', ...) -> null. Case and surrounding spaces are ignored.
-#}
{% macro yes_no_to_boolean(column) -%}
    case lower(trim(cast({{ column }} as varchar)))
        when 'yes' then true
        when 'no' then false
    end
{%- endmacro %}
