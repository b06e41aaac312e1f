"""Two-factor secrets stored before they were encrypted (accounts/mfa_secrets.py) are
encrypted; reading them never needed this (plain ones are still read), it is for what rests
in the database and its backups."""

from django.db import migrations


def encrypt_plain(apps, schema_editor):
    from accounts.mfa_secrets import PREFIX, encrypt

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str) and not data[field].startswith(PREFIX):
                data[field] = encrypt(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [
                code if code.startswith(PREFIX) else encrypt(code)
                for code in data["migrated_codes"]
            ]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(encrypt_plain, migrations.RunPython.noop)]
