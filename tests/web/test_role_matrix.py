"""Every URL for every role answers with the status its permissions call for.

Each cell is one request, GET and then an empty POST, made inside a savepoint that is
rolled back, so no request changes what the next one sees. Columns: anonymous,
Operator, Reviewer, Auditor, Admin. 302 for anonymous is the sign-in redirect; 405 is
a method the URL does not take; 4xx other than 403 means the person was allowed in and
the (empty) input or the object's state was refused with a message. API operations take
no session: each role's request carries a token of that role, and no token is a 401.
"""

import pytest
from django.db import transaction

from memadmin.api import tokens
from tests.sample_objects import make_sample_world
from tests.url_inventory import all_urls, is_token_authenticated

ROLES = (None, "Operator", "Reviewer", "Auditor", "Admin")

# Each row: (GET statuses, POST statuses), for anonymous, Operator, Reviewer, Auditor, Admin.
EXPECTED = {
    "home": ("302 200 200 200 200", "302 405 405 405 405"),
    "healthz": ("200 200 200 200 200", "405 405 405 405 405"),
    "login": ("200 302 302 302 302", "200 302 302 302 302"),
    "logout": ("302 405 405 405 405", "302 302 302 302 302"),
    # Goes on to the selected store's list, or to the stores page to pick one.
    "traitgroups:index": ("302 302 302 302 302", "302 405 405 405 405"),
    "traitgroups:revision": ("302 200 200 200 200", "302 200 403 403 200"),
    "traitgroups:export": ("302 200 200 200 200", "302 405 405 405 405"),
    "traitgroups:list": ("302 200 200 200 200", "302 405 405 405 405"),
    "traitgroups:new": ("302 200 403 403 200", "302 200 403 403 200"),
    "traitgroups:import": ("302 405 405 405 405", "302 422 403 403 422"),
    "traitgroups:detail": ("302 200 200 200 200", "302 405 405 405 405"),
    "traitgroups:edit": ("302 405 405 405 405", "302 302 403 403 302"),
    "traitgroups:export_live": ("302 200 200 200 200", "302 405 405 405 405"),
    "traitgroups:validate": ("302 405 405 405 405", "302 200 403 403 200"),
    "traitgroups:check": ("302 405 405 405 405", "302 200 403 403 200"),
    "traitgroups:preview": ("302 405 405 405 405", "302 200 403 403 200"),
    "traitgroups:add_trait": ("302 405 405 405 405", "302 200 403 403 200"),
    "traitgroups:remove_trait": ("302 405 405 405 405", "302 404 403 403 404"),
    "traitgroups:duplicate_trait": ("302 405 405 405 405", "302 404 403 403 404"),
    "traitgroups:rule_fields": ("302 405 405 405 405", "302 404 403 403 404"),
    # The builder's live impact panel: whoever may edit drafts; an empty form has no impact.
    "impact:builder": ("302 405 405 405 405", "302 200 403 403 200"),
    "history:group": ("302 200 200 200 200", "302 405 405 405 405"),
    # Restoring makes a draft (302 to it): operators only, like any draft.
    "history:restore": ("302 405 405 405 405", "302 302 403 403 302"),
    "history:store": ("302 200 200 200 200", "302 405 405 405 405"),
    # An empty POST picks nothing: 400 for those who may propose restoring.
    "history:restore_many": ("302 405 405 405 405", "302 400 403 403 400"),
    # With no batch restore in the session, the result page sends people to the as-of page.
    "history:restored": ("302 302 302 302 302", "302 405 405 405 405"),
    "reviews:inbox": ("302 200 200 200 200", "302 405 405 405 405"),
    "reviews:revision": ("302 200 200 200 200", "302 405 405 405 405"),
    # An empty POST picks nothing: 400 for those who may publish.
    "reviews:publish_many": ("302 405 405 405 405", "302 403 400 403 400"),
    # With no bulk publish in the session, the result page sends publishers to the inbox.
    "reviews:published": ("302 403 302 403 302", "302 405 405 405 405"),
    # Any operator may submit a teammate's draft; reviewers may not submit at all.
    "reviews:submit": ("302 405 405 405 405", "302 302 403 403 302"),
    # Only the author withdraws; the sample revision's author is another operator.
    "reviews:withdraw": ("302 405 405 405 405", "302 403 403 403 403"),
    # Discarding a draft: its author (another operator here) or an Admin; a confirm page first.
    "reviews:discard": ("302 403 403 403 200", "302 403 403 403 302"),
    # The sample revision is a draft: reviewers may review, but not a draft (409).
    "reviews:approve": ("302 405 405 405 405", "302 403 409 403 409"),
    "reviews:request_changes": ("302 405 405 405 405", "302 403 409 403 409"),
    "reviews:comment": ("302 405 405 405 405", "302 400 400 403 400"),
    "reviews:publish": ("302 405 405 405 405", "302 403 409 403 409"),
    "reviews:rebase": ("302 405 405 405 405", "302 409 409 403 409"),
    # The sample group is Contact, which Twilio protects: a deletion request is refused.
    "reviews:request_delete": ("302 200 403 403 200", "302 409 403 403 409"),
    # People are the Admin's; an empty POST is refused with a message (400).
    "people": ("302 403 403 403 200", "302 405 405 405 405"),
    "person_create": ("302 405 405 405 405", "302 403 403 403 400"),
    "person": ("302 403 403 403 200", "302 405 405 405 405"),
    "person_role": ("302 405 405 405 405", "302 403 403 403 400"),
    "person_active": ("302 405 405 405 405", "302 403 403 403 302"),
    "person_password": ("302 405 405 405 405", "302 403 403 403 400"),
    "stores:index": ("302 200 200 200 200", "302 405 405 405 405"),
    "stores:select": ("302 405 405 405 405", "302 302 302 302 302"),
    "stores:connection": ("302 200 200 200 200", "302 200 200 200 200"),
    "stores:settings": ("302 200 200 200 200", "302 405 405 405 405"),
    "stores:promote": ("302 200 403 403 200", "302 200 403 403 200"),
    "stores:sync": ("302 405 405 405 405", "302 302 302 403 302"),
    "stores:sync_status": ("302 200 200 200 200", "302 405 405 405 405"),
    "stores:drift": ("302 200 200 200 200", "302 405 405 405 405"),
    "operations:index": ("302 200 200 200 200", "302 405 405 405 405"),
    "operations:detail": ("302 200 200 200 200", "302 405 405 405 405"),
    "operations:badge": ("302 200 200 200 200", "302 405 405 405 405"),
    "operations:refresh": ("302 405 405 405 405", "302 302 302 403 302"),
    # Retrying sends a write to Twilio again: a publisher's call, not an operator's.
    "operations:retry": ("302 405 405 405 405", "302 403 302 403 302"),
    "operations:reconcile": ("302 405 405 405 405", "302 302 302 403 302"),
    "audit:index": ("302 403 403 200 200", "302 405 405 405 405"),
    "audit:detail": ("302 403 403 200 200", "302 405 405 405 405"),
    "audit:export": ("302 403 403 200 200", "302 405 405 405 405"),
    "audit:checkpoints": ("302 403 403 200 200", "302 405 405 405 405"),
    "audit:verifier": ("302 403 403 200 200", "302 405 405 405 405"),
    # Everyone manages their own tokens; token 1 is nobody's here.
    "apitokens:index": ("302 200 200 200 200", "302 400 400 400 400"),
    "apitokens:revoke": ("302 405 405 405 405", "302 404 404 404 404"),
    # The API's documentation, for signed-in people.
    "api:openapi-json": ("302 200 200 200 200", "302 405 405 405 405"),
    "api:openapi-view": ("302 200 200 200 200", "302 405 405 405 405"),
    "api:api-root": ("302 404 404 404 404", "302 404 404 404 404"),
    # Token-authenticated: 401 without a token. An empty plan or proposal body is a 400.
    "api:stores": ("401 200 200 200 200", "405 405 405 405 405"),
    "api:groups": ("401 200 200 200 200", "405 405 405 405 405"),
    "api:group_file": ("401 200 200 200 200", "405 405 405 405 405"),
    "api:plan": ("405 405 405 405 405", "401 400 400 400 400"),
    "api:propose": ("405 405 405 405 405", "401 400 403 403 400"),
    "api:review": ("401 200 200 200 200", "405 405 405 405 405"),
    # Everyone chooses their own e-mails; an empty form turns them all off.
    # The sample revision changes nothing live: reviewers may ask, and hear 409 "nothing
    # to check"; operators who did not write it and auditors may not. No dry run exists.
    "dryrun:start": ("302 405 405 405 405", "302 403 409 403 409"),
    "dryrun:detail": ("302 404 404 404 404", "302 405 405 405 405"),
    "dryrun:resume": ("302 405 405 405 405", "302 404 404 404 404"),
    "dryrun:examples": ("302 405 405 405 405", "302 404 404 404 404"),
    "notifications:preferences": ("302 200 200 200 200", "302 302 302 302 302"),
    # Destinations hold secrets and deliveries name people: Admins only.
    "notifications:destinations": ("302 403 403 403 200", "302 403 403 403 400"),
    "notifications:remove_destination": ("302 405 405 405 405", "302 403 403 403 404"),
    "notifications:test_destination": ("302 405 405 405 405", "302 403 403 403 404"),
    "notifications:test_configured": ("302 405 405 405 405", "302 403 403 403 404"),
    "notifications:deliveries": ("302 403 403 403 200", "302 405 405 405 405"),
    "catalog:index": ("302 200 200 200 200", "302 405 405 405 405"),
    "catalog:store": ("302 200 200 200 200", "302 405 405 405 405"),
    # The sweep's trait "x" is not one of the sample Contact group's traits.
    "catalog:trait": ("302 404 404 404 404", "302 405 405 405 405"),
}

URLS = all_urls()


def test_every_url_has_an_expected_row_and_every_row_a_url():
    assert sorted(name for name, _ in URLS) == sorted(EXPECTED)


@pytest.mark.parametrize(("name", "path"), URLS, ids=[name for name, _ in URLS])
def test_each_role_gets_the_status_its_permissions_call_for(client, make_user, name, path):
    world = make_sample_world(make_user("Operator", username="author"))
    users = {role: make_user(role, username=f"matrix-{role.lower()}") for role in ROLES if role}
    headers = {None: {}}
    for role, user in users.items():
        if is_token_authenticated(name):
            _, secret = tokens.create_token(user=user, label="matrix", role=role)
            headers[role] = {"Authorization": f"Bearer {secret}"}
        else:
            headers[role] = {}
    path = world.path_for(name, path)
    actual = []
    for method in ("get", "post"):
        codes = []
        for role in ROLES:
            with transaction.atomic():
                client.logout()
                if role:
                    client.force_login(users[role])
                response = getattr(client, method)(path, headers=headers[role])
                codes.append(str(response.status_code))
                transaction.set_rollback(True)
        actual.append(" ".join(codes))
    assert tuple(actual) == EXPECTED[name], f"{name} at {path}"
