// sdk.js PORT — drive iotdeck-sim with the official @alicloud/iot20180120 SDK.
//
// Every check prints "ok - NAME" or "not ok - NAME: DETAIL"; the last line is
// "conformance: N passed, M failed" and the exit status is non-zero on any failure.
'use strict';
const Iot = require('@alicloud/iot20180120');
const OpenApi = require('@alicloud/openapi-client');

const port = process.argv[2];
let passed = 0, failed = 0;

function check(name, cond, detail) {
  if (cond) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${detail === undefined ? '' : ': ' + detail}`); }
}

function client(id, secret, alg, globals) {
  const cfg = new OpenApi.Config({
    accessKeyId: id, accessKeySecret: secret, endpoint: `127.0.0.1:${port}`,
    protocol: 'http', regionId: 'cn-shanghai', readTimeout: 10000, connectTimeout: 5000,
  });
  if (alg) cfg.signatureAlgorithm = alg;
  if (globals) cfg.globalParameters = new OpenApi.GlobalParameters(globals);
  return new Iot.default(cfg);
}

// Runs fn; returns [body, error].
async function call(name, fn) {
  try {
    const r = await fn();
    return [r.body, null];
  } catch (e) {
    return [null, e];
  }
}

async function expectOk(name, fn) {
  const [body, err] = await call(name, fn);
  if (err) { check(name, false, `threw ${err.code}: ${err.message}`); return null; }
  if (!body || body.success !== true) {
    check(name, false, `Success=${body && body.success} Code=${body && body.code} ${body && body.errorMessage}`);
    return null;
  }
  return body;
}

async function expectGatewayError(name, fn, code, status) {
  const [body, err] = await call(name, fn);
  if (!err) { check(name, false, `expected ${code}, got success=${body && body.success}`); return; }
  const st = err.data && err.data.statusCode;
  check(name, err.code === code && (status === undefined || st === status),
    `got code=${err.code} status=${st}`);
}

async function domainProducts(c, tag) {
  let b = await expectOk(`${tag} QueryProductList`, () =>
    c.queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 10 })));
  let pk = null;
  if (b) {
    const list = b.data && b.data.list && b.data.list.productInfo;
    check(`${tag} QueryProductList Data.List.ProductInfo`, Array.isArray(list) && list.length >= 6,
      JSON.stringify(b.data).slice(0, 200));
    check(`${tag} QueryProductList totals`, b.data.total >= 6 && b.data.pageSize === 10 &&
      b.data.currentPage === 1 && b.data.pageCount >= 1, JSON.stringify(b.data).slice(0, 200));
    const seeded = list && list.find(p => p.deviceCount > 100);
    if (seeded) {
      pk = seeded.productKey;
      check(`${tag} ProductInfo fields`, typeof list[0].productName === 'string' &&
        typeof list[0].gmtCreate === 'number' && typeof list[0].deviceCount === 'number' &&
        list[0].nodeType !== undefined && list[0].authType === 'secret', JSON.stringify(list[0]));
    }
  }
  b = await expectOk(`${tag} QueryProduct`, () =>
    c.queryProduct(new Iot.QueryProductRequest({ productKey: pk })));
  if (b) {
    check(`${tag} QueryProduct fields`, b.data.productKey === pk && typeof b.data.productSecret === 'string' &&
      typeof b.data.gmtCreate === 'number' && /STATUS$/.test(b.data.productStatus) &&
      b.data.owner === true && typeof b.data.deviceCount === 'number', JSON.stringify(b.data));
  }
  const name = `conf_${tag}_${Date.now() % 100000}`;
  b = await expectOk(`${tag} CreateProduct`, () => c.createProduct(new Iot.CreateProductRequest({
    productName: name, nodeType: 0, aliyunCommodityCode: 'iothub_senior', dataFormat: 1,
    description: 'conformance product', netType: 'WIFI' })));
  let newPk = null;
  if (b) {
    newPk = b.productKey;
    check(`${tag} CreateProduct fields`, b.data.productKey === newPk && b.data.productName === name &&
      typeof b.data.productSecret === 'string' && b.data.dataFormat === 1, JSON.stringify(b));
  }
  const [dup] = await call('dup', () => c.createProduct(new Iot.CreateProductRequest({
    productName: name, nodeType: 0 })));
  check(`${tag} CreateProduct duplicate name`, dup && dup.success === false &&
    dup.code === 'iot.prod.AlreadyExistedProductName', JSON.stringify(dup));
  const [bad] = await call('bad', () => c.queryProduct(new Iot.QueryProductRequest({ productKey: 'a1NoSuchPk0' })));
  check(`${tag} QueryProduct unknown`, bad && bad.success === false &&
    bad.code === 'iot.prod.NotExistedProduct' && typeof bad.errorMessage === 'string', JSON.stringify(bad));
  await expectGatewayError(`${tag} QueryProduct without ProductKey`, () =>
    c.queryProduct(new Iot.QueryProductRequest({})), 'MissingProductKey', 400);
  return [pk, newPk];
}

async function domainDevices(c, tag, pk, newPk) {
  let b = await expectOk(`${tag} QueryDevice`, () =>
    c.queryDevice(new Iot.QueryDeviceRequest({ productKey: pk, pageSize: 5, currentPage: 1 })));
  let devs = [];
  if (b) {
    devs = (b.data && b.data.deviceInfo) || [];
    check(`${tag} QueryDevice Data.DeviceInfo`, devs.length === 5 && b.total >= 5 && b.pageSize === 5 &&
      b.page === 1 && typeof b.nextToken === 'string', JSON.stringify(b).slice(0, 300));
    check(`${tag} DeviceInfo fields`, devs[0] && typeof devs[0].iotId === 'string' &&
      /GMT$/.test(devs[0].gmtCreate) && /Z$/.test(devs[0].utcCreate) &&
      /^(ONLINE|OFFLINE|UNACTIVE|DISABLE)$/.test(devs[0].deviceStatus), JSON.stringify(devs[0]));
    const b2 = await expectOk(`${tag} QueryDevice NextToken`, () => c.queryDevice(new Iot.QueryDeviceRequest({
      productKey: pk, pageSize: 5, currentPage: 2, nextToken: b.nextToken })));
    if (b2)
      check(`${tag} QueryDevice page 2 differs`, b2.data.deviceInfo.length === 5 &&
        b2.data.deviceInfo[0].iotId !== devs[0].iotId);
  }
  const [deep] = await call('deep', () => c.queryDevice(new Iot.QueryDeviceRequest({
    productKey: pk, pageSize: 50, currentPage: 201 })));
  check(`${tag} QueryDevice past 10000 needs NextToken`, deep && deep.success === false &&
    deep.code === 'iot.common.InvalidPageParams', JSON.stringify(deep));

  b = await expectOk(`${tag} RegisterDevice`, () => c.registerDevice(new Iot.RegisterDeviceRequest({
    productKey: newPk, deviceName: `dev_${tag}_1`, nickname: '会议室_传感器' })));
  const iotId = b && b.data.iotId;
  if (b)
    check(`${tag} RegisterDevice fields`, b.data.deviceName === `dev_${tag}_1` && b.data.productKey === newPk &&
      typeof b.data.deviceSecret === 'string' && b.data.nickname === '会议室_传感器', JSON.stringify(b.data));
  b = await expectOk(`${tag} QueryDeviceDetail`, () =>
    c.queryDeviceDetail(new Iot.QueryDeviceDetailRequest({ iotId })));
  if (b)
    check(`${tag} QueryDeviceDetail fields`, b.data.iotId === iotId && b.data.status === 'UNACTIVE' &&
      b.data.productName !== undefined && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(b.data.gmtCreate) &&
      b.data.nodeType === 0 && b.data.region === 'cn-shanghai', JSON.stringify(b.data));
  b = await expectOk(`${tag} QueryDeviceInfo`, () => c.queryDeviceInfo(new Iot.QueryDeviceInfoRequest({
    productKey: newPk, deviceName: `dev_${tag}_1` })));
  if (b)
    check(`${tag} QueryDeviceInfo fields`, b.data.iotId === iotId && b.data.nickname === '会议室_传感器');

  const names = devs.slice(0, 3).map(d => d.deviceName);
  b = await expectOk(`${tag} BatchQueryDeviceDetail`, () => c.batchQueryDeviceDetail(
    new Iot.BatchQueryDeviceDetailRequest({ productKey: pk, deviceName: names })));
  if (b)
    check(`${tag} BatchQueryDeviceDetail Data.Data`, b.data.data.length === names.length &&
      names.includes(b.data.data[0].deviceName), JSON.stringify(b.data).slice(0, 200));
  b = await expectOk(`${tag} BatchGetDeviceState`, () => c.batchGetDeviceState(
    new Iot.BatchGetDeviceStateRequest({ productKey: pk, deviceName: names })));
  if (b)
    check(`${tag} BatchGetDeviceState DeviceStatusList.DeviceStatus`,
      b.deviceStatusList.deviceStatus.length === names.length &&
      typeof b.deviceStatusList.deviceStatus[0].status === 'string', JSON.stringify(b).slice(0, 200));
  b = await expectOk(`${tag} GetDeviceStatus`, () => c.getDeviceStatus(new Iot.GetDeviceStatusRequest({ iotId })));
  if (b)
    check(`${tag} GetDeviceStatus fields`, b.data.status === 'UNACTIVE' && typeof b.data.timestamp === 'number');

  await expectOk(`${tag} DisableThing`, () => c.disableThing(new Iot.DisableThingRequest({ iotId })));
  b = await expectOk(`${tag} GetDeviceStatus disabled`, () => c.getDeviceStatus(new Iot.GetDeviceStatusRequest({ iotId })));
  if (b) check(`${tag} status DISABLE`, b.data.status === 'DISABLE', b.data.status);
  await expectOk(`${tag} EnableThing`, () => c.enableThing(new Iot.EnableThingRequest({ iotId })));

  await expectOk(`${tag} BatchUpdateDeviceNickname`, () => c.batchUpdateDeviceNickname(
    new Iot.BatchUpdateDeviceNicknameRequest({ deviceNicknameInfo: [
      new Iot.BatchUpdateDeviceNicknameRequestDeviceNicknameInfo({ iotId, nickname: 'renamed_1' })] })));
  b = await expectOk(`${tag} QueryDeviceInfo after rename`, () =>
    c.queryDeviceInfo(new Iot.QueryDeviceInfoRequest({ iotId })));
  if (b) check(`${tag} nickname changed`, b.data.nickname === 'renamed_1', b.data.nickname);
  const [badNick] = await call('badnick', () => c.batchUpdateDeviceNickname(
    new Iot.BatchUpdateDeviceNicknameRequest({ deviceNicknameInfo: [
      new Iot.BatchUpdateDeviceNicknameRequestDeviceNicknameInfo({ iotId, nickname: 'a\u001b[2Jb' })] })));
  check(`${tag} BatchUpdateDeviceNickname refuses control characters`, badNick && badNick.success === false &&
    badNick.code === 'iot.device.InvalidDeviceNickNameExisted', JSON.stringify(badNick));

  await expectOk(`${tag} SaveDeviceProp`, () => c.saveDeviceProp(new Iot.SaveDevicePropRequest({
    iotId, props: JSON.stringify({ room: 'A-101', floor: '3' }) })));
  b = await expectOk(`${tag} QueryDeviceProp`, () => c.queryDeviceProp(new Iot.QueryDevicePropRequest({ iotId })));
  if (b) check(`${tag} QueryDeviceProp Props`, JSON.parse(b.props).room === 'A-101', b.props);
  await expectOk(`${tag} DeleteDeviceProp`, () => c.deleteDeviceProp(new Iot.DeleteDevicePropRequest({ iotId, propKey: 'room' })));

  b = await expectOk(`${tag} QueryDeviceByStatus`, () => c.queryDeviceByStatus(new Iot.QueryDeviceByStatusRequest({
    productKey: pk, status: 1, currentPage: 1, pageSize: 10 })));
  if (b)
    check(`${tag} QueryDeviceByStatus Data.SimpleDeviceInfo`, b.data.simpleDeviceInfo.length === 10 &&
      b.data.simpleDeviceInfo.every(d => d.status === 'ONLINE') && b.total > 10 && b.page === 1,
      JSON.stringify(b).slice(0, 200));

  await expectOk(`${tag} DeleteDevice`, () => c.deleteDevice(new Iot.DeleteDeviceRequest({ iotId })));
  const [gone] = await call('gone', () => c.queryDeviceDetail(new Iot.QueryDeviceDetailRequest({ iotId })));
  check(`${tag} deleted device is gone`, gone && gone.success === false &&
    gone.code === 'iot.device.NotExistedDevice', JSON.stringify(gone));
}

async function domainGroups(c, tag, pk) {
  const [lb] = await call('devs', () => c.queryDevice(new Iot.QueryDeviceRequest({ productKey: pk, pageSize: 3 })));
  const names = lb && lb.data ? lb.data.deviceInfo.map(d => d.deviceName) : [];
  const gname = `grp_${tag}_${Date.now() % 100000}`;
  let b = await expectOk(`${tag} CreateDeviceGroup`, () => c.createDeviceGroup(new Iot.CreateDeviceGroupRequest({
    groupName: gname, groupDesc: '一级分组' })));
  const gid = b && b.data.groupId;
  if (b) check(`${tag} CreateDeviceGroup fields`, b.data.groupName === gname && /Z$/.test(b.data.utcCreate));
  b = await expectOk(`${tag} CreateDeviceGroup child`, () => c.createDeviceGroup(new Iot.CreateDeviceGroupRequest({
    groupName: `${gname}_c`, superGroupId: gid })));
  const child = b && b.data.groupId;
  const [dup] = await call('dup', () => c.createDeviceGroup(new Iot.CreateDeviceGroupRequest({ groupName: gname })));
  check(`${tag} CreateDeviceGroup duplicate`, dup && dup.code === 'iot.group.GroupNameExisted', JSON.stringify(dup));
  b = await expectOk(`${tag} BatchAddDeviceGroupRelations`, () => c.batchAddDeviceGroupRelations(
    new Iot.BatchAddDeviceGroupRelationsRequest({ groupId: child, device: names.map(n =>
      new Iot.BatchAddDeviceGroupRelationsRequestDevice({ productKey: pk, deviceName: n })) })));
  if (b) check(`${tag} BatchAddDeviceGroupRelations counts`, b.successAddedDeviceCount === names.length &&
    b.validDeviceCount === names.length && b.alreadyRelatedGroupDeviceCount === 0, JSON.stringify(b));
  b = await expectOk(`${tag} QueryDeviceGroupInfo`, () => c.queryDeviceGroupInfo(new Iot.QueryDeviceGroupInfoRequest({ groupId: child })));
  if (b) check(`${tag} QueryDeviceGroupInfo fields`, b.data.deviceCount === names.length && b.data.groupId === child);
  b = await expectOk(`${tag} QueryDeviceGroupList`, () => c.queryDeviceGroupList(new Iot.QueryDeviceGroupListRequest({
    currentPage: 1, pageSize: 50 })));
  if (b) check(`${tag} QueryDeviceGroupList Data.GroupInfo`, b.data.groupInfo.some(g => g.groupId === gid) &&
    b.total >= 1 && b.data.groupInfo[0].groupType === 'LINK_PLATFORM', JSON.stringify(b).slice(0, 200));
  b = await expectOk(`${tag} QueryDeviceListByDeviceGroup`, () => c.queryDeviceListByDeviceGroup(
    new Iot.QueryDeviceListByDeviceGroupRequest({ groupId: child, currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} QueryDeviceListByDeviceGroup Data.SimpleDeviceInfo`, b.data.simpleDeviceInfo.length === names.length &&
    b.total === names.length, JSON.stringify(b).slice(0, 200));
  b = await expectOk(`${tag} QueryDeviceGroupByDevice`, () => c.queryDeviceGroupByDevice(
    new Iot.QueryDeviceGroupByDeviceRequest({ productKey: pk, deviceName: names[0] })));
  if (b) check(`${tag} QueryDeviceGroupByDevice GroupInfos.GroupInfo`, b.groupInfos.groupInfo.some(g => g.groupId === child));
  b = await expectOk(`${tag} QuerySuperDeviceGroup`, () => c.querySuperDeviceGroup(new Iot.QuerySuperDeviceGroupRequest({ groupId: child })));
  if (b) check(`${tag} QuerySuperDeviceGroup Data.GroupInfo`, b.data.groupInfo[0].groupId === gid, JSON.stringify(b.data));
  await expectOk(`${tag} SetDeviceGroupTags`, () => c.setDeviceGroupTags(new Iot.SetDeviceGroupTagsRequest({
    groupId: gid, tagString: JSON.stringify([{ tagKey: 'site', tagValue: tag }]) })));
  b = await expectOk(`${tag} QueryDeviceGroupTagList`, () => c.queryDeviceGroupTagList(new Iot.QueryDeviceGroupTagListRequest({ groupId: gid })));
  if (b) check(`${tag} QueryDeviceGroupTagList Data.GroupTagInfo`, b.data.groupTagInfo[0].tagValue === tag);
  b = await expectOk(`${tag} QueryDeviceGroupByTags`, () => c.queryDeviceGroupByTags(new Iot.QueryDeviceGroupByTagsRequest({
    tag: [new Iot.QueryDeviceGroupByTagsRequestTag({ tagKey: 'site', tagValue: tag })] })));
  if (b) check(`${tag} QueryDeviceGroupByTags Data.DeviceGroup`, b.data.deviceGroup.length === 1 && b.data.deviceGroup[0].groupId === gid,
    JSON.stringify(b).slice(0, 200));
  const [sub] = await call('sub', () => c.deleteDeviceGroup(new Iot.DeleteDeviceGroupRequest({ groupId: gid })));
  check(`${tag} DeleteDeviceGroup with a subgroup refused`, sub && sub.code === 'iot.group.SubGroupNotNull', JSON.stringify(sub));
  b = await expectOk(`${tag} BatchDeleteDeviceGroupRelations`, () => c.batchDeleteDeviceGroupRelations(
    new Iot.BatchDeleteDeviceGroupRelationsRequest({ groupId: child, device: names.map(n =>
      new Iot.BatchDeleteDeviceGroupRelationsRequestDevice({ productKey: pk, deviceName: n })) })));
  if (b) check(`${tag} BatchDeleteDeviceGroupRelations counts`, b.successDeviceCount === names.length);
  await expectOk(`${tag} DeleteDeviceGroup child`, () => c.deleteDeviceGroup(new Iot.DeleteDeviceGroupRequest({ groupId: child })));
  await expectOk(`${tag} DeleteDeviceGroup`, () => c.deleteDeviceGroup(new Iot.DeleteDeviceGroupRequest({ groupId: gid })));
}

async function domainThingModels(c, tag, pk, newPk) {
  let b = await expectOk(`${tag} GetThingModelTsl`, () => c.getThingModelTsl(new Iot.GetThingModelTslRequest({ productKey: pk })));
  if (b) {
    const tsl = JSON.parse(b.data.tslStr);
    const types = new Set(tsl.properties.map(p => p.dataType.type));
    check(`${tag} TSL has every data type`, ['int', 'float', 'double', 'enum', 'bool', 'text', 'date', 'struct', 'array']
      .every(t => types.has(t) || tsl.properties.some(p => p.dataType.type === 'struct' &&
        p.dataType.specs.some(m => m.dataType.type === t))), [...types].join(','));
    check(`${tag} TSL services and events`, tsl.services.some(s => s.callType === 'sync' && s.outputData.length > 0) &&
      tsl.services.some(s => s.callType === 'async') && tsl.events.length >= 2);
  }
  b = await expectOk(`${tag} QueryThingModel`, () => c.queryThingModel(new Iot.QueryThingModelRequest({ productKey: pk })));
  if (b) {
    const m = JSON.parse(b.data.thingModelJson);
    check(`${tag} ThingModelJson shape`, m.productKey === pk && m.properties.every(p => /^[A-Z]+$/.test(p.dataType) &&
      /^READ_(WRITE|ONLY)$/.test(p.rwFlag) && (p.dataSpecs || p.dataSpecsList)), JSON.stringify(m.properties[0]));
  }
  const model = { properties: [{ identifier: 'Pressure', name: '压力', rwFlag: 'READ_WRITE', dataType: 'FLOAT',
    dataSpecs: { dataType: 'FLOAT', min: '0', max: '10', step: '0.1', unit: 'MPa', unitName: '兆帕', custom: true },
    required: false, custom: true }],
    services: [{ identifier: 'Flush', serviceName: '冲洗', callType: 'SYNC', required: false, custom: true,
      inputParams: [{ identifier: 'Seconds', name: '秒', dataType: 'INT', direction: 'PARAM_INPUT', paraOrder: 0,
        dataSpecs: { dataType: 'INT', min: '1', max: '60', step: '1', unit: 's', unitName: '秒', custom: true }, custom: true }],
      outputParams: [] }] };
  await expectOk(`${tag} CreateThingModel`, () => c.createThingModel(new Iot.CreateThingModelRequest({
    productKey: newPk, thingModelJson: JSON.stringify(model) })));
  const [dup] = await call('dup', () => c.createThingModel(new Iot.CreateThingModelRequest({
    productKey: newPk, thingModelJson: JSON.stringify(model) })));
  check(`${tag} CreateThingModel duplicate identifier`, dup && dup.success === false, JSON.stringify(dup));
  model.properties[0].name = '出口压力';
  await expectOk(`${tag} UpdateThingModel`, () => c.updateThingModel(new Iot.UpdateThingModelRequest({
    productKey: newPk, identifier: 'Pressure', thingModelJson: JSON.stringify({ properties: model.properties }) })));
  await expectOk(`${tag} PublishThingModel`, () => c.publishThingModel(new Iot.PublishThingModelRequest({
    productKey: newPk, modelVersion: 'V1.0.1', description: 'conformance' })));
  b = await expectOk(`${tag} ListThingModelVersion`, () => c.listThingModelVersion(new Iot.ListThingModelVersionRequest({ productKey: newPk })));
  if (b) check(`${tag} ListThingModelVersion Data.ModelVersions`, b.data.modelVersions[0].modelVersion === 'V1.0.1' &&
    typeof b.data.modelVersions[0].gmtCreate === 'number', JSON.stringify(b.data));
  b = await expectOk(`${tag} GetThingModelTslPublished`, () => c.getThingModelTslPublished(
    new Iot.GetThingModelTslPublishedRequest({ productKey: newPk })));
  if (b) check(`${tag} published TSL holds the new function`, JSON.parse(b.data.tslStr).properties.some(p =>
    p.identifier === 'Pressure' && p.name === '出口压力'), b.data.tslStr.slice(0, 200));
  b = await expectOk(`${tag} QueryThingModelPublished`, () => c.queryThingModelPublished(
    new Iot.QueryThingModelPublishedRequest({ productKey: newPk })));
  if (b) check(`${tag} QueryThingModelPublished ThingModelJson`, JSON.parse(b.data.thingModelJson).services
    .some(s => s.identifier === 'Flush' && s.callType === 'SYNC'));
  await expectOk(`${tag} DeleteThingModel`, () => c.deleteThingModel(new Iot.DeleteThingModelRequest({
    productKey: newPk, serviceIdentifier: ['Flush'] })));
  b = await expectOk(`${tag} ListThingTemplates`, () => c.listThingTemplates(new Iot.ListThingTemplatesRequest({})));
  if (b) {
    check(`${tag} ListThingTemplates bare Data array`, Array.isArray(b.data) && b.data.length > 0 && b.data[0].categoryKey);
    const t = await expectOk(`${tag} GetThingTemplate`, () => c.getThingTemplate(new Iot.GetThingTemplateRequest({
      categoryKey: b.data[0].categoryKey })));
    if (t) check(`${tag} GetThingTemplate ThingModelJSON`, JSON.parse(t.thingModelJSON).properties.length > 0);
  }
}

function valueFor(dt) {
  if (['int', 'float', 'double'].includes(dt.type)) return Number(dt.specs.min) + Number(dt.specs.step || 1);
  if (dt.type === 'enum' || dt.type === 'bool') return Number(Object.keys(dt.specs)[0]);
  if (dt.type === 'text') return 'ok';
  if (dt.type === 'date') return String(Date.now());
  return undefined;
}
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function domainThingUse(c, tag, pk) {
  const [tb] = await call('tsl', () => c.getThingModelTsl(new Iot.GetThingModelTslRequest({ productKey: pk })));
  const [ob] = await call('online', () => c.queryDeviceByStatus(new Iot.QueryDeviceByStatusRequest({
    productKey: pk, status: 1, currentPage: 1, pageSize: 2 })));
  if (!tb || !ob || !ob.data.simpleDeviceInfo.length) { check(`${tag} thing-use setup`, false); return; }
  const tsl = JSON.parse(tb.data.tslStr);
  const dev = ob.data.simpleDeviceInfo[0], iotId = dev.iotId;
  const rw = tsl.properties.find(p => p.accessMode === 'rw' && ['int', 'float', 'double'].includes(p.dataType.type));
  const ro = tsl.properties.find(p => p.accessMode === 'r');
  let b = await expectOk(`${tag} QueryDevicePropertyStatus`, () => c.queryDevicePropertyStatus(
    new Iot.QueryDevicePropertyStatusRequest({ iotId })));
  if (b) check(`${tag} Data.List.PropertyStatusInfo`, b.data.list.propertyStatusInfo.length === tsl.properties.length &&
    b.data.list.propertyStatusInfo.every(p => typeof p.value === 'string' && /^\d{13}$/.test(p.time)),
    JSON.stringify(b.data.list.propertyStatusInfo[0]));
  const want = valueFor(rw.dataType);
  b = await expectOk(`${tag} SetDeviceProperty`, () => c.setDeviceProperty(new Iot.SetDevicePropertyRequest({
    iotId, items: JSON.stringify({ [rw.identifier]: want }) })));
  if (b) check(`${tag} SetDeviceProperty MessageId`, typeof b.data.messageId === 'string' && b.data.messageId.length > 0);
  await sleep(700);
  b = await expectOk(`${tag} property applied after a delay`, () => c.queryDevicePropertyStatus(
    new Iot.QueryDevicePropertyStatusRequest({ iotId })));
  if (b) {
    const got = b.data.list.propertyStatusInfo.find(p => p.identifier === rw.identifier);
    check(`${tag} reported value changed`, got && Number(got.value) === want, JSON.stringify(got));
  }
  const [rob] = await call('ro', () => c.setDeviceProperty(new Iot.SetDevicePropertyRequest({
    iotId, items: JSON.stringify({ [ro.identifier]: valueFor(ro.dataType) === undefined ? 1 : valueFor(ro.dataType) }) })));
  check(`${tag} read-only property refused`, rob && rob.success === false && rob.code === 'iot.device.SetDevicePropertyFailed',
    JSON.stringify(rob));
  const sync = tsl.services.find(s => s.callType === 'sync' && s.outputData.length > 0);
  const args = {};
  for (const p of sync.inputData) { const v = valueFor(p.dataType); if (v !== undefined) args[p.identifier] = v; }
  b = await expectOk(`${tag} InvokeThingService sync`, () => c.invokeThingService(new Iot.InvokeThingServiceRequest({
    iotId, identifier: sync.identifier, args: JSON.stringify(args) })));
  if (b) {
    // The device's RRPC reply, as in guide 4.12.3's example: {"code":200,"data":{outputs},...}.
    const r = JSON.parse(b.data.result || '{}');
    check(`${tag} sync Result matches the TSL outputs`, r.code === 200 && typeof r.data === 'object' &&
      sync.outputData.every(o => o.identifier in r.data), b.data.result);
  }
  const async_ = tsl.services.find(s => s.callType === 'async' && !['set', 'get'].includes(s.identifier));
  const aargs = {};
  for (const p of async_.inputData) { const v = valueFor(p.dataType); if (v !== undefined) aargs[p.identifier] = v; }
  b = await expectOk(`${tag} InvokeThingService async`, () => c.invokeThingService(new Iot.InvokeThingServiceRequest({
    iotId, identifier: async_.identifier, args: JSON.stringify(aargs) })));
  if (b) check(`${tag} async answers a MessageId only`, typeof b.data.messageId === 'string' && b.data.result === undefined);
  const now = Date.now();
  b = await expectOk(`${tag} QueryDeviceServiceData`, () => c.queryDeviceServiceData(new Iot.QueryDeviceServiceDataRequest({
    iotId, startTime: now - 3600000, endTime: now + 86400000, asc: 0, pageSize: 10 })));
  if (b) check(`${tag} Data.List.ServiceInfo`, b.data.list.serviceInfo.some(s => s.identifier === sync.identifier),
    JSON.stringify(b.data).slice(0, 200));
  b = await expectOk(`${tag} QueryDevicePropertyData`, () => c.queryDevicePropertyData(new Iot.QueryDevicePropertyDataRequest({
    iotId, identifier: ro.identifier, startTime: now - 3 * 86400000, endTime: now, asc: 0, pageSize: 5 })));
  if (b) check(`${tag} property history paging`, b.data.list.propertyInfo.length === 5 && b.data.nextValid === true &&
    typeof b.data.nextTime === 'number', JSON.stringify(b.data).slice(0, 300));
  b = await expectOk(`${tag} QueryDevicePropertiesData`, () => c.queryDevicePropertiesData(new Iot.QueryDevicePropertiesDataRequest({
    iotId, identifier: [ro.identifier, rw.identifier], startTime: now - 3600000, endTime: now, asc: 1, pageSize: 10 })));
  if (b) check(`${tag} PropertyDataInfos.PropertyDataInfo`, b.propertyDataInfos.propertyDataInfo.length === 2 &&
    b.propertyDataInfos.propertyDataInfo[0].list.propertyInfo.length > 0, JSON.stringify(b).slice(0, 300));
  b = await expectOk(`${tag} QueryDeviceEventData`, () => c.queryDeviceEventData(new Iot.QueryDeviceEventDataRequest({
    iotId, startTime: now - 20 * 86400000, endTime: now, asc: 0, pageSize: 10 })));
  if (b) check(`${tag} Data.List.EventInfo`, Array.isArray(b.data.list.eventInfo) && b.data.list.eventInfo.length > 0 &&
    typeof b.data.list.eventInfo[0].outputData === 'string', JSON.stringify(b.data).slice(0, 200));
  const [db] = await call('desired', () => c.queryDeviceDesiredProperty(
    new Iot.QueryDeviceDesiredPropertyRequest({ iotId, identifier: [rw.identifier] })));
  const dv = db && db.data.list.desiredPropertyInfo.length ? db.data.list.desiredPropertyInfo[0].version : 0;
  b = await expectOk(`${tag} SetDeviceDesiredProperty`, () => c.setDeviceDesiredProperty(new Iot.SetDeviceDesiredPropertyRequest({
    iotId, items: JSON.stringify({ [rw.identifier]: want }), versions: JSON.stringify({ [rw.identifier]: dv }) })));
  if (b) check(`${tag} desired Versions`, JSON.parse(b.data.versions)[rw.identifier] === dv + 1, b.data.versions);
  const [stale] = await call('stale', () => c.setDeviceDesiredProperty(new Iot.SetDeviceDesiredPropertyRequest({
    iotId, items: JSON.stringify({ [rw.identifier]: want }), versions: JSON.stringify({ [rw.identifier]: dv }) })));
  check(`${tag} desired version conflict refused`, stale && stale.success === false, JSON.stringify(stale));
  b = await expectOk(`${tag} QueryDeviceDesiredProperty`, () => c.queryDeviceDesiredProperty(
    new Iot.QueryDeviceDesiredPropertyRequest({ iotId, identifier: [rw.identifier] })));
  if (b) check(`${tag} Data.List.DesiredPropertyInfo`, b.data.list.desiredPropertyInfo[0].version === dv + 1 &&
    Number(b.data.list.desiredPropertyInfo[0].value) === want, JSON.stringify(b.data));
  b = await expectOk(`${tag} GetDeviceShadow`, () => c.getDeviceShadow(new Iot.GetDeviceShadowRequest({
    productKey: pk, deviceName: dev.deviceName })));
  let ver = 0;
  if (b) { const sh = JSON.parse(b.shadowMessage); ver = sh.version; check(`${tag} ShadowMessage`, sh.state && typeof sh.version === 'number'); }
  await expectOk(`${tag} UpdateDeviceShadow`, () => c.updateDeviceShadow(new Iot.UpdateDeviceShadowRequest({
    productKey: pk, deviceName: dev.deviceName,
    shadowMessage: JSON.stringify({ method: 'update', state: { desired: { color: 'green' } }, version: ver + 1 }) })));
  b = await expectOk(`${tag} GetDeviceShadow after update`, () => c.getDeviceShadow(new Iot.GetDeviceShadowRequest({
    productKey: pk, deviceName: dev.deviceName })));
  if (b) check(`${tag} shadow desired stored`, JSON.parse(b.shadowMessage).state.desired.color === 'green');
  const [sv] = await call('sv', () => c.updateDeviceShadow(new Iot.UpdateDeviceShadowRequest({
    productKey: pk, deviceName: dev.deviceName,
    shadowMessage: JSON.stringify({ method: 'update', state: { desired: { color: 'red' } }, version: ver + 1 }) })));
  check(`${tag} stale shadow version refused`, sv && sv.code === 'iot.messagebroker.InvalidVersionValueInShadowMessage',
    JSON.stringify(sv));
  await expectOk(`${tag} SetDevicesProperty`, () => c.setDevicesProperty(new Iot.SetDevicesPropertyRequest({
    productKey: pk, deviceName: ob.data.simpleDeviceInfo.map(d => d.deviceName), items: JSON.stringify({ [rw.identifier]: want }) })));
  await expectOk(`${tag} InvokeThingsService`, () => c.invokeThingsService(new Iot.InvokeThingsServiceRequest({
    productKey: pk, deviceName: ob.data.simpleDeviceInfo.map(d => d.deviceName), identifier: async_.identifier,
    args: JSON.stringify(aargs) })));
}

async function waitFor(fn, pred, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const [b] = await call('poll', fn);
    if (b && pred(b)) return b;
    if (Date.now() > end) return b;
    await sleep(250);
  }
}

async function domainOta(c, tag, pk) {
  const [ob] = await call('online', () => c.queryDeviceByStatus(new Iot.QueryDeviceByStatusRequest({
    productKey: pk, status: 1, currentPage: 1, pageSize: 12 })));
  const names = ob ? ob.data.simpleDeviceInfo.map(d => d.deviceName) : [];
  if (names.length < 12) { check(`${tag} OTA setup`, false, `${names.length} online devices`); return; }
  let b = await expectOk(`${tag} GenerateOTAUploadURL`, () => c.generateOTAUploadURL(new Iot.GenerateOTAUploadURLRequest({ fileSuffix: 'bin' })));
  if (b) check(`${tag} upload URL fields`, ['host', 'key', 'policy', 'OSSAccessKeyId', 'signature', 'firmwareUrl']
    .every(k => typeof b.data[k] === 'string'), JSON.stringify(b.data));
  const url = b ? b.data.firmwareUrl : 'http://x/fw.bin';
  const image = Buffer.from(`firmware image for ${tag} `.repeat(300));
  if (b) {
    // OSS PostObject to the Host the simulator handed out.
    const post = async (sig) => {
      const fd = new FormData();
      fd.append('key', b.data.key);
      fd.append('policy', b.data.policy);
      fd.append('OSSAccessKeyId', b.data.OSSAccessKeyId);
      fd.append('Signature', sig);
      fd.append('success_action_status', '200');
      fd.append('file', new Blob([image]), 'fw.bin');
      return fetch(b.data.host, { method: 'POST', body: fd });
    };
    const bad = await post('AAAA' + b.data.signature.slice(4));
    check(`${tag} OSS upload with a wrong signature refused`, bad.status === 403 && /SignatureDoesNotMatch/.test(await bad.text()));
    const up = await post(b.data.signature);
    check(`${tag} OSS PostObject upload`, up.status === 200, `HTTP ${up.status} ${await up.text()}`);
  }
  const md5 = require('crypto').createHash('md5').update(image).digest('hex');
  const ver = `9.${tag === 'v3' ? 3 : 1}.0`;
  b = await expectOk(`${tag} CreateOTAFirmware`, () => c.createOTAFirmware(new Iot.CreateOTAFirmwareRequest({
    productKey: pk, firmwareName: `fw_${tag}_${Date.now() % 100000}`, destVersion: ver, firmwareUrl: url,
    signMethod: 'MD5', needToVerify: true })));
  const fid = b && b.data.firmwareId;
  if (!fid) return;
  b = await expectOk(`${tag} QueryOTAFirmware`, () => c.queryOTAFirmware(new Iot.QueryOTAFirmwareRequest({ firmwareId: fid })));
  if (b) check(`${tag} firmware unverified`, b.firmwareInfo.status === 0 && b.firmwareInfo.destVersion === ver, JSON.stringify(b.firmwareInfo));
  if (b) check(`${tag} size and MD5 from the upload`, b.firmwareInfo.firmwareSize === image.length &&
    b.firmwareInfo.firmwareSign === md5, JSON.stringify(b.firmwareInfo));
  const [nv] = await call('nv', () => c.createOTAStaticUpgradeJob(new Iot.CreateOTAStaticUpgradeJobRequest({
    productKey: pk, firmwareId: fid, targetSelection: 'SPECIFIC', targetDeviceName: names.slice(0, 2) })));
  check(`${tag} unverified firmware cannot be rolled out`, nv && nv.code === 'iot.ota.FirmwareNotVerified', JSON.stringify(nv));
  const [many] = await call('many', () => c.createOTAVerifyJob(new Iot.CreateOTAVerifyJobRequest({
    productKey: pk, firmwareId: fid, targetDeviceName: names.slice(0, 11) })));
  check(`${tag} at most 10 verify devices`, many && many.success === false, JSON.stringify(many));
  b = await expectOk(`${tag} CreateOTAVerifyJob`, () => c.createOTAVerifyJob(new Iot.CreateOTAVerifyJobRequest({
    productKey: pk, firmwareId: fid, targetDeviceName: names.slice(0, 2), timeoutInMinutes: 60 })));
  b = await waitFor(() => c.queryOTAFirmware(new Iot.QueryOTAFirmwareRequest({ firmwareId: fid })),
    x => x.firmwareInfo.status === 1 || x.firmwareInfo.status === 3, 15000);
  check(`${tag} verification passes`, b && b.firmwareInfo.status === 1, JSON.stringify(b && b.firmwareInfo));
  b = await expectOk(`${tag} CreateOTAStaticUpgradeJob`, () => c.createOTAStaticUpgradeJob(new Iot.CreateOTAStaticUpgradeJobRequest({
    productKey: pk, firmwareId: fid, targetSelection: 'SPECIFIC', targetDeviceName: names.slice(2, 5),
    tag: [new Iot.CreateOTAStaticUpgradeJobRequestTag({ key: 'wave', value: '1' })] })));
  const jid = b && b.data.jobId;
  if (!jid) return;
  b = await expectOk(`${tag} ListOTATaskByJob`, () => c.listOTATaskByJob(new Iot.ListOTATaskByJobRequest({ jobId: jid, currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} Data.SimpleOTATaskInfo`, b.data.simpleOTATaskInfo.length === 3 &&
    b.data.simpleOTATaskInfo.every(t => /^(QUEUED|NOTIFIED|IN_PROGRESS|SUCCEEDED)$/.test(t.taskStatus) && /^\d+\.\d\d$/.test(t.progress)),
    JSON.stringify(b.data.simpleOTATaskInfo[0]));
  b = await waitFor(() => c.queryOTAJob(new Iot.QueryOTAJobRequest({ jobId: jid })), x => x.data.jobStatus === 'COMPLETED', 15000);
  check(`${tag} upgrade job completes`, b && b.data.jobStatus === 'COMPLETED' && b.data.destVersion === ver &&
    b.data.tags.otaTagDTO[0].key === 'wave', JSON.stringify(b && b.data).slice(0, 300));
  await sleep(300);
  b = await expectOk(`${tag} device runs the new firmware`, () => c.queryDeviceDetail(new Iot.QueryDeviceDetailRequest({ productKey: pk, deviceName: names[2] })));
  if (b) check(`${tag} FirmwareVersion updated`, b.data.firmwareVersion === ver, b.data.firmwareVersion);
  b = await expectOk(`${tag} ListOTAJobByFirmware`, () => c.listOTAJobByFirmware(new Iot.ListOTAJobByFirmwareRequest({ firmwareId: fid, currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} Data.SimpleOTAJobInfo`, b.data.simpleOTAJobInfo.length === 2 && b.total === 2 &&
    b.data.simpleOTAJobInfo.some(j => j.jobType === 'VERIFY_FIRMWARE'), JSON.stringify(b.data).slice(0, 300));
  b = await expectOk(`${tag} ListOTAJobByDevice`, () => c.listOTAJobByDevice(new Iot.ListOTAJobByDeviceRequest({
    firmwareId: fid, productKey: pk, deviceName: names[2], currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} ListOTAJobByDevice finds the job`, b.data.simpleOTAJobInfo.some(j => j.jobId === jid));
  b = await expectOk(`${tag} ListOTAFirmware`, () => c.listOTAFirmware(new Iot.ListOTAFirmwareRequest({ currentPage: 1, pageSize: 50, productKey: pk })));
  if (b) check(`${tag} FirmwareInfo.SimpleFirmwareInfo`, b.firmwareInfo.simpleFirmwareInfo.some(f => f.firmwareId === fid) && b.total >= 1);
  // Confirm, cancel, reupgrade.
  b = await expectOk(`${tag} CreateOTAStaticUpgradeJob NeedConfirm`, () => c.createOTAStaticUpgradeJob(new Iot.CreateOTAStaticUpgradeJobRequest({
    productKey: pk, firmwareId: fid, targetSelection: 'SPECIFIC', targetDeviceName: names.slice(5, 8), needConfirm: true })));
  const cj = b && b.data.jobId;
  if (!cj) return;
  b = await expectOk(`${tag} tasks wait for confirmation`, () => c.listOTATaskByJob(new Iot.ListOTATaskByJobRequest({ jobId: cj, currentPage: 1, pageSize: 10 })));
  const tasks = b ? b.data.simpleOTATaskInfo : [];
  check(`${tag} TaskStatus CONFIRM`, tasks.length === 3 && tasks.every(t => t.taskStatus === 'CONFIRM'));
  await expectOk(`${tag} ConfirmOTATask`, () => c.confirmOTATask(new Iot.ConfirmOTATaskRequest({ taskId: [tasks[0].taskId] })));
  await expectOk(`${tag} CancelOTATaskByJob`, () => c.cancelOTATaskByJob(new Iot.CancelOTATaskByJobRequest({ jobId: cj, cancelUnconfirmedTask: true })));
  b = await expectOk(`${tag} ListOTATaskByJob CANCELED`, () => c.listOTATaskByJob(new Iot.ListOTATaskByJobRequest({ jobId: cj, taskStatus: 'CANCELED', currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} unconfirmed tasks canceled`, b.data.simpleOTATaskInfo.length === 2, JSON.stringify(b.data).slice(0, 200));
  const [bad] = await call('bad', () => c.reupgradeOTATask(new Iot.ReupgradeOTATaskRequest({ jobId: cj, taskId: [tasks[0].taskId] })));
  check(`${tag} reupgrade refuses a running task`, bad && bad.code === 'iot.ota.InvalidTaskExist', JSON.stringify(bad));
  await expectOk(`${tag} ReupgradeOTATask`, () => c.reupgradeOTATask(new Iot.ReupgradeOTATaskRequest({ jobId: cj, taskId: [tasks[1].taskId] })));
  b = await waitFor(() => c.queryOTAJob(new Iot.QueryOTAJobRequest({ jobId: cj })), x => x.data.jobStatus === 'COMPLETED', 15000);
  check(`${tag} confirmed and reupgraded tasks finish`, b && b.data.jobStatus === 'COMPLETED', JSON.stringify(b && b.data).slice(0, 200));
  b = await expectOk(`${tag} ListOTATaskByJob SUCCEEDED`, () => c.listOTATaskByJob(new Iot.ListOTATaskByJobRequest({ jobId: cj, taskStatus: 'SUCCEEDED', currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} two tasks succeeded`, b.data.simpleOTATaskInfo.length === 2, JSON.stringify(b.data).slice(0, 200));
  // Dynamic job and its strategy.
  b = await expectOk(`${tag} CreateOTADynamicUpgradeJob`, () => c.createOTADynamicUpgradeJob(new Iot.CreateOTADynamicUpgradeJobRequest({
    productKey: pk, firmwareId: fid, srcVersion: ['2.1.0', '1.0.0'], dynamicMode: 1 })));
  const dj = b && b.data.jobId;
  if (dj) {
    await expectOk(`${tag} CancelOTAStrategyByJob`, () => c.cancelOTAStrategyByJob(new Iot.CancelOTAStrategyByJobRequest({ jobId: dj })));
    b = await expectOk(`${tag} QueryOTAJob dynamic`, () => c.queryOTAJob(new Iot.QueryOTAJobRequest({ jobId: dj })));
    if (b) check(`${tag} dynamic job CANCELED`, b.data.jobStatus === 'CANCELED' && b.data.selectionType === 'DYNAMIC' &&
      b.data.srcVersions.srcVersion.length === 2, JSON.stringify(b.data).slice(0, 300));
  }
  await expectOk(`${tag} CancelOTATaskByDevice`, () => c.cancelOTATaskByDevice(new Iot.CancelOTATaskByDeviceRequest({
    productKey: pk, firmwareId: fid, deviceName: [names[9]] })));
  // Modules.
  const mod = `mod_${tag}`;
  await expectOk(`${tag} CreateOTAModule`, () => c.createOTAModule(new Iot.CreateOTAModuleRequest({ productKey: pk, moduleName: mod, aliasName: '模块', desc: 'mcu' })));
  await expectOk(`${tag} UpdateOTAModule`, () => c.updateOTAModule(new Iot.UpdateOTAModuleRequest({ productKey: pk, moduleName: mod, desc: 'mcu2' })));
  b = await expectOk(`${tag} ListOTAModuleByProduct`, () => c.listOTAModuleByProduct(new Iot.ListOTAModuleByProductRequest({ productKey: pk })));
  if (b) check(`${tag} modules listed`, b.data.some(m => m.moduleName === 'default') && b.data.some(m => m.moduleName === mod && m.desc === 'mcu2'),
    JSON.stringify(b.data));
  await expectOk(`${tag} DeleteOTAModule`, () => c.deleteOTAModule(new Iot.DeleteOTAModuleRequest({ productKey: pk, moduleName: mod })));
  await expectOk(`${tag} DeleteOTAFirmware`, () => c.deleteOTAFirmware(new Iot.DeleteOTAFirmwareRequest({ firmwareId: fid })));
  const [gone] = await call('gone', () => c.queryOTAFirmware(new Iot.QueryOTAFirmwareRequest({ firmwareId: fid })));
  check(`${tag} deleted firmware is gone`, gone && gone.code === 'iot.ota.InvalidFirmwareUid', JSON.stringify(gone));
}

// A call that waits out the gateway's Throttling (the documented QPS of each action, e.g.
// CancelOTATaskByJob 5) instead of failing the check: returns [body, error] like call().
async function callPaced(fn) {
  for (let i = 0; ; i++) {
    const [b, e] = await call('paced', fn);
    if (!e || e.code !== 'Throttling' || i >= 40) return [b, e];
    await sleep(250);
  }
}

// Checks that an iot.* error comes back as the guide's code (Success=false, HTTP 200).
async function expectCode(name, fn, code) {
  const [b, e] = await callPaced(fn);
  check(name, b && b.success === false && b.code === code,
    e ? `threw ${e.code}: ${e.message}` : `Code=${b && b.code} ${b && b.errorMessage}`);
}

async function expectOkPaced(name, fn) {
  const [b, e] = await callPaced(fn);
  if (e) { check(name, false, `threw ${e.code}: ${e.message}`); return null; }
  if (!b || b.success !== true) {
    check(name, false, `Success=${b && b.success} Code=${b && b.code} ${b && b.errorMessage}`);
    return null;
  }
  return b;
}

// OSS PostObject of bytes to the Host of a GenerateOTAUploadURL or GenerateDeviceNameListURL
// answer (the AccessKeyId field is OSSAccessKeyId in one, AccessKeyId in the other).
async function ossPost(d, bytes, filename) {
  const fd = new FormData();
  fd.append('key', d.key);
  fd.append('policy', d.policy);
  fd.append('OSSAccessKeyId', d.OSSAccessKeyId || d.accessKeyId);
  fd.append('Signature', d.signature);
  fd.append('success_action_status', '200');
  fd.append('file', new Blob([bytes]), filename);
  return fetch(d.host, { method: 'POST', body: fd });
}

async function deviceNames(c, pk, n) {
  const names = [];
  for (let page = 1; names.length < n; page++) {
    const [b] = await callPaced(() => c.queryDevice(new Iot.QueryDeviceRequest({ productKey: pk, pageSize: 50, currentPage: page })));
    const list = b && b.data && b.data.deviceInfo ? b.data.deviceInfo : [];
    if (list.length === 0) break;
    names.push(...list.map(d => d.deviceName));
  }
  return names.slice(0, n);
}

// The limits of guide 4.20 that iotdeck-sim checks, each with the guide's error code
// (4.6, the iot.firmware.* and iot.ota.* tables): CreateOTAFirmware's size, sign and
// description (4.20.3), the upload size limits (4.20.1, 4.20.2), the verify job's 10
// devices (4.20.7), the static job's 200 names, device-list file, GrayPercent, retries,
// schedule window and SrcVersion.N (4.20.8), CancelOTATaskByJob's options (4.20.15) and
// the 1..10 TaskId.N of ConfirmOTATask and ReupgradeOTATask (4.20.21, 4.20.23).
//
// Also (once places where iotdeck-sim differed from the guide): QueryOTAJob returns
// UtcScheduleFinishTime for a job that set one (4.20.13); GrayPercent keeps its decimals
// when the devices are chosen, rounding down (4.20.8: 33.33% of 100 is 33), takes values
// below 1 (at least one device) and QueryOTAJob gives it back as set; CancelQueuedTask
// without CancelUnconfirmedTask cancels the CONFIRM tasks too, with
// CancelUnconfirmedTask=false it does not (4.20.15); a repeated SrcVersion.N or
// TargetDeviceName.N is refused (4.20.8 names no code: iot.common.InvalidFormattedParameter);
// MaximumPerMinute defaults to 10,000 (4.20.8).
async function domainOtaLimits(c, tag, pk) {
  const names = await deviceNames(c, pk, 260);
  if (names.length < 260) { check(`${tag} OTA limits setup`, false, `${names.length} devices`); return; }
  const jobs = [];
  const stamp = Date.now() % 100000;

  // CreateOTAFirmware: FirmwareSize and FirmwareSign must be the uploaded file's.
  let b = await expectOkPaced(`${tag} limits GenerateOTAUploadURL`, () => c.generateOTAUploadURL(new Iot.GenerateOTAUploadURLRequest({ fileSuffix: 'bin' })));
  if (!b) return;
  const up = b.data;
  const pol = JSON.parse(Buffer.from(up.policy, 'base64').toString());
  const range = (pol.conditions || []).find(x => Array.isArray(x) && x[0] === 'content-length-range');
  check(`${tag} upload policy allows at most 2,000 MB`, range && range[1] === 0 && range[2] === 2000 * 1024 * 1024,
    JSON.stringify(pol.conditions));
  const image = Buffer.from(`limits image ${tag} `.repeat(500));
  const md5 = require('crypto').createHash('md5').update(image).digest('hex');
  const r = await ossPost(up, image, 'fw.bin');
  check(`${tag} limits OSS PostObject`, r.status === 200, `HTTP ${r.status}`);
  const fw = extra => new Iot.CreateOTAFirmwareRequest(Object.assign({ productKey: pk,
    firmwareName: `lim_${tag}_${stamp}`, destVersion: '8.0.0', firmwareUrl: up.firmwareUrl, signMethod: 'MD5' }, extra));
  await expectCode(`${tag} CreateOTAFirmware FirmwareSize not the file's: iot.firmware.InvalidFirmwareSize`,
    () => c.createOTAFirmware(fw({ firmwareSize: image.length + 1 })), 'iot.firmware.InvalidFirmwareSize');
  await expectCode(`${tag} CreateOTAFirmware FirmwareSign not the file's MD5: iot.firmware.InvalidFirmwareSign`,
    () => c.createOTAFirmware(fw({ firmwareSign: '0'.repeat(32) })), 'iot.firmware.InvalidFirmwareSign');
  await expectCode(`${tag} CreateOTAFirmware FirmwareDesc of 101 characters: iot.firmware.FirmwareDescriptionExceedMaxLength`,
    () => c.createOTAFirmware(fw({ firmwareDesc: '固'.repeat(101) })), 'iot.firmware.FirmwareDescriptionExceedMaxLength');
  await expectCode(`${tag} CreateOTAFirmware SignMethod SHA256: iot.firmware.InvalidFirmwareSignMethod`,
    () => c.createOTAFirmware(fw({ signMethod: 'SHA256' })), 'iot.firmware.InvalidFirmwareSignMethod');
  b = await expectOkPaced(`${tag} CreateOTAFirmware with the file's size, MD5 and 100 characters of FirmwareDesc`,
    () => c.createOTAFirmware(fw({ firmwareSize: image.length, firmwareSign: md5.toUpperCase(), firmwareDesc: '固'.repeat(100),
      needToVerify: true })));
  const vfid = b && b.data.firmwareId;
  // The firmware's UtcCreate is the service's clock (iotdeck-sim's runs --time-scale times
  // faster): ScheduleTime windows are taken from it.
  const now = b ? Date.parse(b.data.utcCreate) : Date.now();
  if (vfid) {
    b = await expectOkPaced(`${tag} QueryOTAFirmware stated size and sign`, () => c.queryOTAFirmware(new Iot.QueryOTAFirmwareRequest({ firmwareId: vfid })));
    if (b) check(`${tag} FirmwareSize, FirmwareSign and FirmwareDesc kept`, b.firmwareInfo.firmwareSize === image.length &&
      b.firmwareInfo.firmwareSign.toLowerCase() === md5 && b.firmwareInfo.firmwareDesc === '固'.repeat(100), JSON.stringify(b.firmwareInfo));
    // CreateOTAVerifyJob: at most 10 devices.
    await expectCode(`${tag} CreateOTAVerifyJob with 11 devices: iot.ota.UpgradeDeviceCountExceedLimit`,
      () => c.createOTAVerifyJob(new Iot.CreateOTAVerifyJobRequest({ productKey: pk, firmwareId: vfid, targetDeviceName: names.slice(0, 11) })),
      'iot.ota.UpgradeDeviceCountExceedLimit');
    b = await expectOkPaced(`${tag} CreateOTAVerifyJob with 10 devices`, () => c.createOTAVerifyJob(new Iot.CreateOTAVerifyJobRequest({
      productKey: pk, firmwareId: vfid, targetDeviceName: names.slice(250, 260), timeoutInMinutes: 1440 })));
    if (b) {
      jobs.push(b.data.jobId);
      check(`${tag} CreateOTAVerifyJob Data.JobId and UtcCreate`, typeof b.data.jobId === 'string' && /Z$/.test(b.data.utcCreate), JSON.stringify(b.data));
      await expectCode(`${tag} CreateOTAVerifyJob while one runs: iot.firmware.InProgressVerifyJobExisted`,
        () => c.createOTAVerifyJob(new Iot.CreateOTAVerifyJobRequest({ productKey: pk, firmwareId: vfid, targetDeviceName: names.slice(0, 1) })),
        'iot.firmware.InProgressVerifyJobExisted');
    }
  }
  // An empty upload is refused by CreateOTAFirmware.
  b = await expectOkPaced(`${tag} GenerateOTAUploadURL for an empty file`, () => c.generateOTAUploadURL(new Iot.GenerateOTAUploadURLRequest({ fileSuffix: 'bin' })));
  if (b) {
    const er = await ossPost(b.data, Buffer.alloc(0), 'empty.bin');
    check(`${tag} OSS PostObject of an empty file`, er.status === 200, `HTTP ${er.status}`);
    await expectCode(`${tag} CreateOTAFirmware of an empty file: iot.firmware.EmptyFirmwareFile`, () => c.createOTAFirmware(new Iot.CreateOTAFirmwareRequest({
      productKey: pk, firmwareName: `lim0_${tag}_${stamp}`, destVersion: '8.0.1', firmwareUrl: b.data.firmwareUrl })), 'iot.firmware.EmptyFirmwareFile');
  }

  // Static jobs on a package that needs no verification.
  b = await expectOkPaced(`${tag} CreateOTAFirmware NeedToVerify=false`, () => c.createOTAFirmware(fw({
    firmwareName: `limnv_${tag}_${stamp}`, destVersion: '8.1.0', needToVerify: false })));
  const fid = b && b.data.firmwareId;
  if (!fid) return;
  const job = extra => new Iot.CreateOTAStaticUpgradeJobRequest(Object.assign({ productKey: pk, firmwareId: fid,
    targetSelection: 'SPECIFIC', targetDeviceName: names.slice(0, 2) }, extra));
  const create = async (name, extra) => {
    const jb = await expectOkPaced(name, () => c.createOTAStaticUpgradeJob(job(extra)));
    if (jb) jobs.push(jb.data.jobId);
    return jb;
  };
  const refused = (name, extra, code) => expectCode(`${name}: ${code}`, () => c.createOTAStaticUpgradeJob(job(extra)), code);
  const tasks = async jid => {
    const [tb] = await callPaced(() => c.listOTATaskByJob(new Iot.ListOTATaskByJobRequest({ jobId: jid, currentPage: 1, pageSize: 100 })));
    return tb;
  };

  // TargetDeviceName.N: at most 200.
  await refused(`${tag} static job with 201 TargetDeviceName`, { targetDeviceName: names.slice(0, 201) }, 'iot.ota.UpgradeDeviceCountExceedLimit');
  b = await create(`${tag} static job with 200 TargetDeviceName`, { targetDeviceName: names.slice(0, 200) });
  if (b) {
    const tb = await tasks(b.data.jobId);
    check(`${tag} 200 named devices, 200 tasks`, tb && tb.total === 200, JSON.stringify(tb && { total: tb.total, code: tb.code }));
  }

  // DnListFileUrl: a device-list file (GenerateDeviceNameListURL), not with TargetDeviceName.N.
  b = await expectOkPaced(`${tag} GenerateDeviceNameListURL`, () => c.generateDeviceNameListURL(new Iot.GenerateDeviceNameListURLRequest({})));
  if (b) {
    const dl = b.data;
    check(`${tag} GenerateDeviceNameListURL fields`, ['host', 'key', 'policy', 'accessKeyId', 'signature', 'fileUrl']
      .every(k => typeof dl[k] === 'string'), JSON.stringify(dl));
    const dpol = JSON.parse(Buffer.from(dl.policy, 'base64').toString());
    const drange = (dpol.conditions || []).find(x => Array.isArray(x) && x[0] === 'content-length-range');
    check(`${tag} device-list policy allows at most 5 MB`, drange && drange[2] === 5 * 1024 * 1024, JSON.stringify(dpol.conditions));
    const dr = await ossPost(dl, Buffer.from(names.slice(0, 250).join('\n') + '\n'), 'devices.csv');
    check(`${tag} OSS PostObject of a device-list file`, dr.status === 200, `HTTP ${dr.status}`);
    await refused(`${tag} static job with DnListFileUrl and TargetDeviceName`, { dnListFileUrl: dl.fileUrl },
      'iot.firmware.TargetDeviceNamesNotAllowed');
    b = await create(`${tag} static job with a device-list file of 250 devices`, { dnListFileUrl: dl.fileUrl, targetDeviceName: undefined });
    if (b) {
      const tb = await tasks(b.data.jobId);
      check(`${tag} device-list file: 250 tasks`, tb && tb.total === 250, JSON.stringify(tb && { total: tb.total, code: tb.code }));
    }
  }
  await refused(`${tag} static job with a DnListFileUrl that was never uploaded`,
    { dnListFileUrl: `http://127.0.0.1:${port}/oss/dn/nosuchfile000000000.csv`, targetDeviceName: undefined }, 'iot.common.FileNotExist');
  b = await expectOkPaced(`${tag} GenerateDeviceNameListURL for a bad file`, () => c.generateDeviceNameListURL(new Iot.GenerateDeviceNameListURLRequest({})));
  if (b) {
    await ossPost(b.data, Buffer.from(`${names[0]}\nno_such_device_${stamp}\n`), 'devices.csv');
    await refused(`${tag} device-list file naming an unknown device`, { dnListFileUrl: b.data.fileUrl, targetDeviceName: undefined },
      'iot.ota.DeviceNotExist');
  }

  b = await expectOkPaced(`${tag} GenerateDeviceNameListURL for a file that is not a list`, () => c.generateDeviceNameListURL(new Iot.GenerateDeviceNameListURLRequest({})));
  if (b) {
    await ossPost(b.data, Buffer.from(`${names[0]}\n${'x'.repeat(200)}\n`), 'devices.csv');
    await refused(`${tag} device-list file with a 200-character line`, { dnListFileUrl: b.data.fileUrl, targetDeviceName: undefined },
      'iot.common.IllegalFileFormat');
    const big = await ossPost(b.data, Buffer.alloc(5 * 1024 * 1024 + 1, 0x61), 'devices.csv');
    check(`${tag} OSS PostObject of a device-list file over 5 MB: EntityTooLarge`, big.status === 400 &&
      /EntityTooLarge/.test(await big.text()), `HTTP ${big.status}`);
  }

  // GrayPercent: required for GRAY, a percentage with at most 3 decimals.
  await refused(`${tag} GRAY without GrayPercent`, { targetSelection: 'GRAY', targetDeviceName: undefined }, 'iot.firmware.NullGrayPercent');
  await refused(`${tag} GrayPercent 33.3333`, { targetSelection: 'GRAY', targetDeviceName: undefined, grayPercent: '33.3333' },
    'iot.firmware.BadlyFormattedGrayPercent');
  await refused(`${tag} GrayPercent abc`, { targetSelection: 'GRAY', targetDeviceName: undefined, grayPercent: 'abc' },
    'iot.firmware.BadlyFormattedGrayPercent');
  await refused(`${tag} GrayPercent 150`, { targetSelection: 'GRAY', targetDeviceName: undefined, grayPercent: '150' },
    'iot.firmware.InvalidGrayPercent');
  b = await create(`${tag} GrayPercent 10.125 (3 decimals)`, { targetSelection: 'GRAY', targetDeviceName: undefined, grayPercent: '10.125' });
  if (b) {
    const [qb] = await callPaced(() => c.queryOTAJob(new Iot.QueryOTAJobRequest({ jobId: b.data.jobId })));
    check(`${tag} GRAY job: TargetSelection and GrayPercent`, qb && qb.data.targetSelection === 'GRAY' &&
      typeof qb.data.grayPercent === 'string' && Math.floor(Number(qb.data.grayPercent)) === 10, JSON.stringify(qb && qb.data).slice(0, 300));
    check(`${tag} QueryOTAJob GrayPercent "10.125" as set`, qb && qb.data.grayPercent === '10.125',
      JSON.stringify(qb && qb.data.grayPercent));
  }
  const [pb] = await callPaced(() => c.queryProduct(new Iot.QueryProductRequest({ productKey: pk })));
  // 4.20.8: the product's devices times GrayPercent (decimals included), rounded down, at
  // least one; computed in thousandths of a percent.
  for (const [gp, milli] of [['10', 10000], ['10.5', 10500], ['33.33', 33330], ['0.5', 500], ['0.001', 1]]) {
    b = await create(`${tag} GrayPercent ${gp}`, { targetSelection: 'GRAY', targetDeviceName: undefined, grayPercent: gp });
    if (b && pb) {
      const tb = await tasks(b.data.jobId);
      const want = Math.max(1, Math.floor(pb.data.deviceCount * milli / 100000));
      check(`${tag} GRAY ${gp}%: the product's devices times ${gp}%, rounded down, at least 1`, tb && tb.total === want,
        `${tb && tb.total} tasks, ${pb.data.deviceCount} devices, want ${want}`);
    }
  }

  // RetryInterval 0|10|30|60|1440, below TimeoutInMinutes; RetryCount 1|2|5, given with it.
  await refused(`${tag} RetryInterval 15`, { retryInterval: 15, retryCount: 1 }, 'iot.firmware.InvalidRetryInterval');
  await refused(`${tag} RetryInterval without RetryCount`, { retryInterval: 10 }, 'iot.firmware.InvalidRetryCount');
  await refused(`${tag} RetryCount 3`, { retryInterval: 10, retryCount: 3 }, 'iot.firmware.InvalidRetryCount');
  await refused(`${tag} RetryInterval 60 with TimeoutInMinutes 60`, { retryInterval: 60, retryCount: 2, timeoutInMinutes: 60 },
    'iot.firmware.InvalidTimeoutSetting');
  b = await create(`${tag} RetryInterval 30, RetryCount 5, TimeoutInMinutes 60`, { retryInterval: 30, retryCount: 5, timeoutInMinutes: 60,
    targetDeviceName: names.slice(200, 202) });
  if (b) {
    const [qb] = await callPaced(() => c.queryOTAJob(new Iot.QueryOTAJobRequest({ jobId: b.data.jobId })));
    check(`${tag} QueryOTAJob RetryInterval, RetryCount, TimeoutInMinutes`, qb && qb.data.retryInterval === 30 &&
      qb.data.retryCount === 5 && qb.data.timeoutInMinutes === 60, JSON.stringify(qb && qb.data).slice(0, 300));
    check(`${tag} QueryOTAJob MaximumPerMinute defaults to 10,000`, qb && qb.data.maximumPerMinute === 10000,
      JSON.stringify(qb && qb.data.maximumPerMinute));
  }

  // ScheduleTime 5 minutes to 7 days ahead; ScheduleFinishTime 60 minutes to 30 days after it.
  const start = now + 2 * 3600000;
  await refused(`${tag} ScheduleTime in a minute`, { scheduleTime: now + 60000 }, 'iot.firmware.FireTimeTooShort');
  await refused(`${tag} ScheduleTime in 8 days`, { scheduleTime: now + 8 * 86400000 }, 'iot.firmware.FireTimeTooLate');
  await refused(`${tag} ScheduleFinishTime without ScheduleTime`, { scheduleFinishTime: start }, 'iot.firmware.ScheduleFinishTimeWithoutStartTime');
  await refused(`${tag} ScheduleFinishTime before ScheduleTime`, { scheduleTime: start, scheduleFinishTime: start - 600000 },
    'iot.firmware.ScheduleFinishTimeEarlierThanStartTime');
  await refused(`${tag} ScheduleFinishTime 30 minutes after ScheduleTime`, { scheduleTime: start, scheduleFinishTime: start + 1800000 },
    'iot.firmware.ScheduleFinishTimeTooEarly');
  await refused(`${tag} ScheduleFinishTime 31 days after ScheduleTime`, { scheduleTime: start, scheduleFinishTime: start + 31 * 86400000 },
    'iot.firmware.ScheduleFinishTimeTooLate');
  b = await create(`${tag} ScheduleTime in 2 hours, ScheduleFinishTime 3 hours later`, { scheduleTime: start, scheduleFinishTime: start + 3 * 3600000,
    targetDeviceName: names.slice(202, 204) });
  if (b) {
    const [qb] = await callPaced(() => c.queryOTAJob(new Iot.QueryOTAJobRequest({ jobId: b.data.jobId })));
    check(`${tag} scheduled job PLANNED at its ScheduleTime`, qb && qb.data.jobStatus === 'PLANNED' &&
      Date.parse(qb.data.utcScheduleTime) === start,
      JSON.stringify(qb && { start: new Date(start).toISOString(), status: qb.data.jobStatus, utcScheduleTime: qb.data.utcScheduleTime,
        utcScheduleFinishTime: qb.data.utcScheduleFinishTime }));
    check(`${tag} QueryOTAJob UtcScheduleFinishTime`, qb && Date.parse(qb.data.utcScheduleFinishTime) === start + 3 * 3600000,
      JSON.stringify(qb && { want: new Date(start + 3 * 3600000).toISOString(), got: qb.data.utcScheduleFinishTime }));
    await expectOkPaced(`${tag} CancelOTATaskByJob CancelScheduledTask`, () => c.cancelOTATaskByJob(new Iot.CancelOTATaskByJobRequest({
      jobId: b.data.jobId, cancelScheduledTask: true })));
    const tb = await tasks(b.data.jobId);
    check(`${tag} scheduled tasks CANCELED`, tb && tb.data.simpleOTATaskInfo.length === 2 &&
      tb.data.simpleOTATaskInfo.every(t => t.taskStatus === 'CANCELED'), JSON.stringify(tb && tb.data).slice(0, 300));
  }

  // CancelQueuedTask cancels the CONFIRM tasks too when CancelUnconfirmedTask is not passed;
  // CancelUnconfirmedTask=false keeps them (4.20.15).
  for (const [what, extra, want] of [['without CancelUnconfirmedTask', {}, 'CANCELED'],
    ['with CancelUnconfirmedTask=false', { cancelUnconfirmedTask: false }, 'CONFIRM']]) {
    const at = what.startsWith('without') ? 204 : 206;
    b = await create(`${tag} NeedConfirm job for CancelQueuedTask ${what}`, { needConfirm: true, targetDeviceName: names.slice(at, at + 2) });
    if (!b) continue;
    let tb = await tasks(b.data.jobId);
    check(`${tag} NeedConfirm job's tasks CONFIRM`, tb && tb.data.simpleOTATaskInfo.length === 2 &&
      tb.data.simpleOTATaskInfo.every(t => t.taskStatus === 'CONFIRM'), JSON.stringify(tb && tb.data).slice(0, 300));
    await expectOkPaced(`${tag} CancelOTATaskByJob CancelQueuedTask ${what}`, () => c.cancelOTATaskByJob(
      new Iot.CancelOTATaskByJobRequest(Object.assign({ jobId: b.data.jobId, cancelQueuedTask: true }, extra))));
    tb = await tasks(b.data.jobId);
    check(`${tag} CancelQueuedTask ${what}: CONFIRM tasks ${want}`, tb && tb.data.simpleOTATaskInfo.length === 2 &&
      tb.data.simpleOTATaskInfo.every(t => t.taskStatus === want), JSON.stringify(tb && tb.data).slice(0, 300));
  }

  // No repeated SrcVersion.N or TargetDeviceName.N (4.20.8; no code named for it).
  await refused(`${tag} SrcVersion repeated`, { targetSelection: 'ALL', targetDeviceName: undefined, srcVersion: ['1.1.0', '1.1.0'] },
    'iot.common.InvalidFormattedParameter');
  await refused(`${tag} TargetDeviceName repeated`, { targetDeviceName: [names[208], names[209], names[208]] },
    'iot.common.InvalidFormattedParameter');

  // SrcVersion.N: at most 10, only with ALL and GRAY; the job reaches the devices on them.
  const eleven = Array.from({ length: 11 }, (_, i) => `0.9.${i}`);
  await refused(`${tag} 11 SrcVersion`, { targetSelection: 'ALL', targetDeviceName: undefined, srcVersion: eleven },
    'iot.firmware.SrcVersionsSizeExceedMax');
  await refused(`${tag} SrcVersion with SPECIFIC`, { srcVersion: ['1.0.0'] }, 'iot.firmware.SrcVersionsNotAllowed');
  await refused(`${tag} SrcVersion with GROUP`, { targetSelection: 'GROUP', targetDeviceName: undefined, groupId: 'nosuchgroup',
    groupType: 'LINK_PLATFORM', srcVersion: ['1.0.0'] }, 'iot.firmware.SrcVersionsNotAllowed');
  await refused(`${tag} SrcVersion no device runs`, { targetSelection: 'ALL', targetDeviceName: undefined, srcVersion: ['0.0.7'] },
    'iot.firmware.NoDeviceCanUpgrade');
  b = await create(`${tag} ALL with 10 SrcVersion`, { targetSelection: 'ALL', targetDeviceName: undefined,
    srcVersion: ['1.1.0', ...eleven.slice(0, 9)] });
  if (b) {
    const tb = await tasks(b.data.jobId);
    const list = tb ? tb.data.simpleOTATaskInfo : [];
    check(`${tag} SrcVersion job: only devices on 1.1.0`, tb && tb.total > 0 && tb.total < names.length * 2 &&
      list.length > 0 && list.every(t => t.srcVersion === '1.1.0'), JSON.stringify(tb && { total: tb.total,
        other: list.filter(t => t.srcVersion !== '1.1.0').slice(0, 2) }));
  }

  // CancelOTATaskByJob needs a task state; ConfirmOTATask and ReupgradeOTATask take 1..10 TaskId.N.
  const jid = jobs[1];
  if (jid) {
    await expectCode(`${tag} CancelOTATaskByJob with no option: iot.firmware.CancelOptionsMandatory`,
      () => c.cancelOTATaskByJob(new Iot.CancelOTATaskByJobRequest({ jobId: jid })), 'iot.firmware.CancelOptionsMandatory');
    await expectCode(`${tag} CancelOTATaskByJob with every option false: iot.firmware.CancelOptionsMandatory`,
      () => c.cancelOTATaskByJob(new Iot.CancelOTATaskByJobRequest({ jobId: jid, cancelQueuedTask: false, cancelInProgressTask: false })),
      'iot.firmware.CancelOptionsMandatory');
    const ids = Array.from({ length: 11 }, (_, i) => `noSuchTask${String(i).padStart(14, '0')}0300`);
    await expectCode(`${tag} ConfirmOTATask with 11 TaskId: iot.ota.TooManyOtaTask`,
      () => c.confirmOTATask(new Iot.ConfirmOTATaskRequest({ taskId: ids })), 'iot.ota.TooManyOtaTask');
    await expectCode(`${tag} ReupgradeOTATask with 11 TaskId: iot.ota.TooManyOtaTask`,
      () => c.reupgradeOTATask(new Iot.ReupgradeOTATaskRequest({ jobId: jid, taskId: ids })), 'iot.ota.TooManyOtaTask');
    await expectCode(`${tag} ConfirmOTATask with 10 TaskId, one unknown: iot.ota.InvalidTaskId`,
      () => c.confirmOTATask(new Iot.ConfirmOTATaskRequest({ taskId: ids.slice(0, 10) })), 'iot.ota.InvalidTaskId');
    await expectCode(`${tag} ReupgradeOTATask with 10 TaskId, one unknown: iot.ota.InvalidTaskId`,
      () => c.reupgradeOTATask(new Iot.ReupgradeOTATaskRequest({ jobId: jid, taskId: ids.slice(0, 10) })), 'iot.ota.InvalidTaskId');
    // CancelOTATaskByDevice: at most 200 DeviceName.N (4.20.16; the guide names no code for it).
    const [cd, cde] = await callPaced(() => c.cancelOTATaskByDevice(new Iot.CancelOTATaskByDeviceRequest({
      productKey: pk, firmwareId: fid, deviceName: names.slice(0, 201) })));
    check(`${tag} CancelOTATaskByDevice with 201 devices refused`, cd && cd.success === false && /^iot\./.test(cd.code),
      cde ? `threw ${cde.code}` : JSON.stringify(cd));
  }
  // Leave nothing running for the checks that follow.
  for (const j of jobs)
    await callPaced(() => c.cancelOTATaskByJob(new Iot.CancelOTATaskByJobRequest({ jobId: j, cancelScheduledTask: true,
      cancelQueuedTask: true, cancelNotifiedTask: true, cancelInProgressTask: true, cancelUnconfirmedTask: true })));
}

async function domainBatch(c, tag, newPk) {
  const names = [`${tag}_batch_1`, `${tag}_batch_2`, `${tag}_batch_3`];
  let b = await expectOk(`${tag} BatchCheckDeviceNames`, () => c.batchCheckDeviceNames(new Iot.BatchCheckDeviceNamesRequest({
    productKey: newPk, deviceNameList: names.map((n, i) => new Iot.BatchCheckDeviceNamesRequestDeviceNameList({
      deviceName: n, deviceNickname: `批量_${i}` })) })));
  const applyId = b && b.data.applyId;
  const [bad] = await call('bad', () => c.batchCheckDeviceNames(new Iot.BatchCheckDeviceNamesRequest({
    productKey: newPk, deviceNameList: [new Iot.BatchCheckDeviceNamesRequestDeviceNameList({ deviceName: 'a$' })] })));
  check(`${tag} BatchCheckDeviceNames lists invalid names`, bad && bad.success === false &&
    JSON.stringify(bad.data.invalidDeviceNameList).includes('a$'), JSON.stringify(bad));
  if (!applyId) return;
  b = await expectOk(`${tag} QueryBatchRegisterDeviceStatus checked`, () => c.queryBatchRegisterDeviceStatus(
    new Iot.QueryBatchRegisterDeviceStatusRequest({ productKey: newPk, applyId })));
  if (b) check(`${tag} Status CHECK_SUCCESS`, b.data.status === 'CHECK_SUCCESS', JSON.stringify(b.data));
  await expectOk(`${tag} BatchRegisterDeviceWithApplyId`, () => c.batchRegisterDeviceWithApplyId(
    new Iot.BatchRegisterDeviceWithApplyIdRequest({ productKey: newPk, applyId })));
  b = await expectOk(`${tag} QueryPageByApplyId`, () => c.queryPageByApplyId(new Iot.QueryPageByApplyIdRequest({
    applyId, currentPage: 1, pageSize: 10 })));
  if (b) check(`${tag} ApplyDeviceList.ApplyDeviceInfo`, b.applyDeviceList.applyDeviceInfo.length === 3 && b.total === 3 &&
    typeof b.applyDeviceList.applyDeviceInfo[0].deviceSecret === 'string', JSON.stringify(b).slice(0, 200));
  b = await expectOk(`${tag} BatchRegisterDevice`, () => c.batchRegisterDevice(new Iot.BatchRegisterDeviceRequest({
    productKey: newPk, count: 4 })));
  if (b) {
    const p2 = await expectOk(`${tag} QueryPageByApplyId random names`, () => c.queryPageByApplyId(
      new Iot.QueryPageByApplyIdRequest({ applyId: b.data.applyId, currentPage: 1, pageSize: 10 })));
    if (p2) check(`${tag} four devices registered`, p2.total === 4);
  }
  await expectOk(`${tag} SaveDeviceProp for tags`, () => c.saveDeviceProp(new Iot.SaveDevicePropRequest({
    productKey: newPk, deviceName: names[0], props: JSON.stringify({ site: `site_${tag}` }) })));
  b = await expectOk(`${tag} QueryDeviceByTags`, () => c.queryDeviceByTags(new Iot.QueryDeviceByTagsRequest({
    tag: [new Iot.QueryDeviceByTagsRequestTag({ tagKey: 'site', tagValue: `site_${tag}` })] })));
  if (b) check(`${tag} QueryDeviceByTags Data.SimpleDeviceInfo`, b.data.simpleDeviceInfo.length === 1 &&
    b.data.simpleDeviceInfo[0].deviceName === names[0], JSON.stringify(b).slice(0, 200));
  await expectOk(`${tag} ResetThing`, () => c.resetThing(new Iot.ResetThingRequest({ productKey: newPk, deviceName: names[1] })));
}

async function domainAuth(tag, id, secret, alg) {
  await expectGatewayError(`${tag} wrong secret refused`, () =>
    client(id, secret + 'x', alg).queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 1 })),
    'SignatureDoesNotMatch', 400);
  await expectGatewayError(`${tag} unknown AccessKeyId refused`, () =>
    client('no-such-key', secret, alg).queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 1 })),
    'InvalidAccessKeyId.NotFound', 404);
  const stale = alg ? { queries: { Timestamp: '2020-01-01T00:00:00Z' } }
    : { headers: { 'x-acs-date': '2020-01-01T00:00:00Z' } };
  await expectGatewayError(`${tag} stale timestamp refused`, () =>
    client(id, secret, alg, stale).queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 1 })),
    'InvalidTimeStamp.Expired', 400);
  const nonce = `conf-nonce-${tag}-${Date.now()}`;
  const fixed = alg ? { queries: { SignatureNonce: nonce } } : { headers: { 'x-acs-signature-nonce': nonce } };
  const c = client(id, secret, alg, fixed);
  await expectOk(`${tag} first use of a nonce`, () =>
    c.queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 1 })));
  await expectGatewayError(`${tag} reused nonce refused`, () =>
    c.queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 1 })),
    'SignatureNonceUsed', 400);
}

async function throttling() {
  const c = client('conf-throttle', 'conf-throttle-secret', undefined);
  const req = () => c.batchQueryDeviceDetail(new Iot.BatchQueryDeviceDetailRequest({
    productKey: 'a1NoSuchPk0', deviceName: ['x'] }));
  const results = await Promise.all(Array.from({ length: 15 }, () => call('t', req)));
  const throttled = results.filter(([, e]) => e && e.code === 'Throttling' && e.data.statusCode === 400);
  check('Throttling past the documented QPS (BatchQueryDeviceDetail: 5)', throttled.length >= 5,
    `${throttled.length} of 15 throttled`);
}

async function main() {
  for (const [tag, id, secret, alg] of [['v3', 'conf-v3', 'conf-v3-secret', undefined],
    ['v1', 'conf-v1', 'conf-v1-secret', 'v2']]) {
    const c = client(id, secret, alg);
    const [pk, newPk] = await domainProducts(c, tag);
    if (pk && newPk) await domainDevices(c, tag, pk, newPk);
    if (pk) await domainGroups(c, tag, pk);
    if (pk && newPk) await domainThingModels(c, tag, pk, newPk);
    if (pk) await domainThingUse(c, tag, pk);
    if (pk) await domainOta(c, tag, pk);
    if (pk) await domainOtaLimits(c, tag, pk);
    if (newPk) await domainBatch(c, tag, newPk);
    await domainAuth(tag, id, secret, alg);
  }
  await expectOk('demo key accepted', () => client('iotdeck-demo-key', 'iotdeck-demo-secret')
    .queryProductList(new Iot.QueryProductListRequest({ currentPage: 1, pageSize: 1 })));
  await throttling();
}

main().catch(e => { failed++; console.log(`not ok - unexpected exception: ${e.stack || e}`); })
  .finally(() => {
    console.log(`conformance: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
