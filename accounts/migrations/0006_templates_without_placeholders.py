"""Cohorts still holding the old default templates get the new ones: the old ones' empty `- ` and
`- [ ] ` placeholders and `<br>` spacers showed as lone bullets and gaps on every log left as
they were. A template an operator changed is left alone."""

from django.db import migrations, models

# The defaults before this migration, byte for byte (the trailing spaces matter).
OLD_DAILY = """## **📝 오늘 한 일**
- [ ] 

<br>

## **👥 피어세션 요약**
### **키워드 공유**
- 

<br>

## **🏫 멘토링 요약**
- 

<br>

## **🐾 일일 회고**


<br>

## **🚀 내일 할 일**
- [ ] 
"""

OLD_WEEKLY = """## **📅 이번 주에 한 일**
- 

## **💡 이번 주에 배운 것**
- 

## **🐾 주간 회고**


## **🚀 다음 주 목표**
- [ ] 
"""


NEW_DAILY = """## **📝 오늘 한 일**

## **👥 피어세션 요약**
### **키워드 공유**

## **🏫 멘토링 요약**

## **🐾 일일 회고**

## **🚀 내일 할 일**
"""

NEW_WEEKLY = """## **📅 이번 주에 한 일**

## **💡 이번 주에 배운 것**

## **🐾 주간 회고**

## **🚀 다음 주 목표**
"""


def forwards(apps, schema_editor):
    Cohort = apps.get_model("accounts", "Cohort")
    Cohort.objects.filter(daily_template=OLD_DAILY).update(
        daily_template=NEW_DAILY
    )
    Cohort.objects.filter(weekly_template=OLD_WEEKLY).update(
        weekly_template=NEW_WEEKLY
    )


def backwards(apps, schema_editor):
    Cohort = apps.get_model("accounts", "Cohort")
    Cohort.objects.filter(daily_template=NEW_DAILY).update(
        daily_template=OLD_DAILY
    )
    Cohort.objects.filter(weekly_template=NEW_WEEKLY).update(
        weekly_template=OLD_WEEKLY
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_login_session")]

    operations = [
        migrations.AlterField(
            model_name="cohort",
            name="daily_template",
            field=models.TextField(
                blank=True,
                default=NEW_DAILY,
                verbose_name="daily log template",
            ),
        ),
        migrations.AlterField(
            model_name="cohort",
            name="weekly_template",
            field=models.TextField(
                blank=True,
                default=NEW_WEEKLY,
                verbose_name="weekly log template",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
