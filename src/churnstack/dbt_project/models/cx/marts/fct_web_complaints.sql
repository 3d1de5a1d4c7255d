{{ complaint_channel_fact('Web') }}
