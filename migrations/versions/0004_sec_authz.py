"""The account that created a user (judges and operators are managed by their creator until
they belong to an event).

Revision ID: 0004_sec_authz
Revises: 0003_regions_members
Create Date: 2026-12-07 23:55:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004_sec_authz'
down_revision = '0003_regions_members'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_created_by_id_user_account'), 'user_account', ['created_by_id'], ['id'], ondelete='SET NULL')

    # Existing accounts: the creator is the actor of the account's "user.create" audit row.
    op.execute(
        "UPDATE user_account SET created_by_id = ("
        "SELECT a.actor_id FROM audit_event a "
        "WHERE a.action = 'user.create' AND a.object_type = 'User' "
        "AND a.object_id = user_account.id AND a.actor_id IS NOT NULL "
        "AND a.actor_id <> user_account.id "
        "ORDER BY a.id LIMIT 1)"
    )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_created_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_created_by_id'))
        batch_op.drop_column('created_by_id')
