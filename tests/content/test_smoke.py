from content.models import PostStatus


def test_world_builds(world):
    post = world.post_in(PostStatus.SCHEDULED)
    assert post.status is PostStatus.SCHEDULED
