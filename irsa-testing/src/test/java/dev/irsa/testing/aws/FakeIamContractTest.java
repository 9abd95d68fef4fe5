package dev.irsa.testing.aws;

import software.amazon.awssdk.services.iam.IamClient;

class FakeIamContractTest extends IamContract {
    private final FakeIam iam = FakeIam.create();

    @Override
    protected IamClient iam() {
        return iam;
    }

    @Override
    protected boolean enforcesCaseInsensitiveRoleNames() {
        return true;
    }
}
