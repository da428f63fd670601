package org.datapact.store;

class H2StoreTest extends StoreContractTest {
  @Override
  StoreConfig newStore() {
    return TestStores.h2();
  }
}
