{{ complaint_channel_fact('Call') }}
