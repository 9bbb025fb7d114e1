from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "jobbtorg.integrations"

    def ready(self):
        # register the tasks (the SMS sender queues integrations.send_sms by name, whatever the process)
        from . import tasks  # noqa: F401, PLC0415
