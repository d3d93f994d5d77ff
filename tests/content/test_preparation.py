"""What keeps one account or post from being prepared, in the sentence people read."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from content.delivery.preparation import (
    PrepareCode,
    PrepareProblem,
    check_photos,
    open_account,
    sentence,
)
from content.infra.secrets import SecretBox
from content.models import Account
from tests.world import World


def _account(world: World, account_id: int) -> Account:
    account = world.session.get(Account, account_id)
    assert account is not None
    return account


def _trouble(world: World, account: Account) -> PrepareProblem:
    with pytest.raises(PrepareProblem) as caught:
        open_account(world.box, account)
    return caught.value


def test_a_healthy_account_opens(world: World) -> None:
    assert open_account(world.box, _account(world, world.fb_account)) == {"page_access_token": "p"}


def test_credentials_sealed_under_another_key_say_who_renews_them(world: World) -> None:
    account = _account(world, world.x_account)
    account.credentials_encrypted = SecretBox(Fernet.generate_key()).seal({"access_token": "t"})
    trouble = _trouble(world, account)
    assert trouble.code is PrepareCode.CREDENTIALS_UNREADABLE and not trouble.retryable
    assert trouble.message == (
        "Kredensial akun X @dinkes tidak dapat dibuka dengan kunci rahasia yang sekarang; "
        "administrator sistem perlu memasukkan ulang token akun ini di halaman Administrasi."
    )


def test_a_missing_setting_or_credential_is_named(world: World) -> None:
    instagram = _account(world, world.ig_account)
    instagram.settings = {}
    trouble = _trouble(world, instagram)
    assert trouble.code is PrepareCode.ACCOUNT_SETTING_MISSING
    assert "'ig_user_id'" in trouble.message and "Instagram @dinkes.ig" in trouble.message
    x = _account(world, world.x_account)
    x.credentials_encrypted = world.box.seal({"consumer_key": "k", "consumer_secret": "s"})
    trouble = _trouble(world, x)
    assert trouble.code is PrepareCode.CREDENTIALS_INCOMPLETE
    assert trouble.message == sentence(
        PrepareCode.CREDENTIALS_INCOMPLETE,
        account="X @dinkes",
        names="'access_token', 'access_token_secret'",
    )


def test_a_photo_gone_from_the_store_is_named(world: World) -> None:
    post = world.draft()
    check_photos(post, world.store)  # all there
    media = post.photos[0].media
    world.store.path(media.sha256, media.extension).unlink()
    with pytest.raises(PrepareProblem) as caught:
        check_photos(post, world.store)
    assert caught.value.code is PrepareCode.PHOTO_MISSING
    assert f"'{media.original_name}'" in caught.value.message
