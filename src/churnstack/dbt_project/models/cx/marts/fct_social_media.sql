{{ complaint_channel_fact('Social') }}
