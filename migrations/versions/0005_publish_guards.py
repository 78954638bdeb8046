"""Score sheets keep the notice shown to the judge when a sheet is sent back because a
criterion was added to the rubric after it was sent.

Revision ID: 0005_publish_guards
Revises: 0004_sec_authz
Create Date: 2026-12-07 23:55:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0005_publish_guards'
down_revision = '0004_sec_authz'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('score_sheet', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'reopen_notice',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table('score_sheet', schema=None) as batch_op:
        batch_op.drop_column('reopen_notice')
