// The console's words in Chinese (the default) and English. `t(key, {name: value})` fills `{name}`.
// The English table must have every key of the Chinese one (the type says so, the build checks).
const zh = {
  'nav.journeys': '旅程', 'nav.contacts': '客户', 'nav.templates': '消息模板',
  'shell.skip': '跳到主要内容', 'shell.nav': '主导航', 'shell.language': '切换语言', 'shell.password': '修改密码',
  'shell.signOut': '退出登录', 'shell.noPages': '此角色没有可用的页面（集成账号请使用 API 令牌）。',
  'role.admin': '管理员', 'role.operator': '运营', 'role.manager': '经理', 'role.integration': '集成',
  'common.add': '添加', 'common.at': '时间', 'common.close': '关闭', 'common.more': '加载更多',
  'common.notAllowed': '此角色无权查看。', 'common.notFound': '页面不存在', 'common.unsavedLeave': '有未保存的修改（已存为本地草稿）。仍要离开吗？',
  'signIn.title': '登录', 'signIn.email': '邮箱', 'signIn.password': '密码', 'signIn.submit': '登录', 'signIn.busy': '正在登录…',
  'signIn.wrong': '邮箱或密码不正确。', 'signIn.locked': '尝试次数过多，请在 {seconds} 秒后再试。',
  'password.current': '当前密码', 'password.new': '新密码', 'password.again': '再次输入新密码', 'password.hint': '至少 12 个字符',
  'password.mismatch': '两次输入的新密码不一致。', 'password.changed': '密码已修改。', 'password.submit': '保存',
  'state.active': '进行中', 'state.paused': '已暂停', 'state.suspended': '已挂起',
  'journeys.title': '旅程', 'journeys.name': '名称', 'journeys.state': '状态', 'journeys.version': '最新版本',
  'journeys.enteredTotal': '累计进入', 'journeys.entered7d': '近 7 天进入', 'journeys.runningNow': '进行中', 'journeys.goals': '达成目标',
  'journeys.pause': '暂停', 'journeys.activate': '启用', 'journeys.paused': '已暂停 {key}', 'journeys.activated': '已启用 {key}',
  'journeys.none': '还没有旅程。', 'journeys.new': '新建旅程', 'journeys.fromSample': '或从内置旅程开始', 'journeys.openSample': '打开',
  'designer.newTitle': '新旅程', 'designer.copyOf': '{name}（副本）', 'designer.addStep': '添加步骤（接在选中元素之后）', 'designer.actions': '设计器操作', 'designer.validate': '校验', 'designer.deploy': '部署',
  'designer.download': '下载 BPMN', 'designer.validating': '正在校验…', 'designer.valid': '校验通过，可以部署。',
  'designer.invalid': '发现 {n} 个问题（已标在对应元素上），未部署任何内容。', 'designer.deploying': '正在部署…',
  'designer.deployed': '已部署 {key} 的新版本 v{version}。', 'designer.unchanged': '图未变化：{key} 仍为 v{version}，未生成新版本。',
  'designer.notDeployed': '未部署：发现 {n} 个问题（已标在对应元素上）。', 'designer.problems': '问题',
  'designer.properties': '属性面板', 'designer.draftRestored': '已恢复 {at} 保存的本地草稿。', 'designer.discard': '丢弃草稿',
  'designer.discardConfirm': '丢弃本地草稿并重新载入？', 'designer.versions': '版本', 'designer.version': 'v{version}',
  'designer.migrate': '迁移运行中的实例', 'designer.from': '从版本', 'designer.to': '到版本', 'designer.everyOlder': '所有旧版本',
  'designer.latest': '最新版本', 'designer.migrateSubmit': '迁移', 'designer.migrated': '已迁移 {n} 个实例到 v{version}。',
  'designer.migratedFrom': '来自 v{version}：{n} 个', 'designer.keys': '从左侧工具板拖入 Siyu 步骤；选中元素后在右侧属性面板中填写。Ctrl+Z 撤销，Ctrl+Y 重做。',
  'version.diagram': '{key} 版本 {version} 的流程图', 'version.readOnly': '只读', 'version.edit': '在设计器中打开',
  'contacts.title': '客户', 'contacts.searchBy': '查找方式', 'contacts.search': '查找内容', 'contacts.find': '查找',
  'contacts.found': '找到 {n} 位客户', 'contacts.none': '没有匹配的客户。',
  'contacts.by.q': '手机、姓名、邮箱或 external_userid', 'contacts.by.mobile': '手机号', 'contacts.by.name': '姓名',
  'contacts.by.email': '邮箱', 'contacts.by.external_userid': 'external_userid',
  'contact.profile': '基本信息', 'contact.identities': '身份', 'contact.consent': '授权', 'contact.lifecycle': '生命周期与 RFM',
  'contact.tags': '标签', 'contact.tierGrowth': '等级与成长值', 'contact.points': '积分', 'contact.rights': '权益',
  'contact.journeys': '旅程', 'contact.touches': '触达', 'contact.events': '事件时间线',
  'contact.name': '姓名', 'contact.gender': '性别', 'contact.birthday': '生日', 'contact.zone': '时区', 'contact.locale': '语言',
  'contact.owner': '归属员工', 'contact.source': '来源', 'contact.firstSeen': '首次出现', 'contact.lastInteraction': '最近互动',
  'contact.lastPurchase': '最近购买', 'contact.purchases': '购买次数', 'contact.spent': '累计消费（元）', 'contact.created': '创建时间',
  'contact.mobile': '手机号', 'contact.email': '邮箱', 'contact.noConsent': '未记录授权。', 'contact.stage': '生命周期阶段',
  'contact.rfm': 'RFM 分类', 'contact.tier': '等级', 'contact.tierSince': '成为该等级于', 'contact.growth': '成长值',
  'contact.growthAdded': '成长值变化', 'contact.event': '事件', 'contact.noGrowth': '没有成长值记录。', 'contact.lot': '批次剩余',
  'contact.expires': '到期', 'contact.noLots': '没有未到期积分。', 'contact.kind': '类型', 'contact.pointsCol': '积分',
  'contact.reason': '原因', 'contact.noLedger': '没有积分流水。', 'contact.right': '权益', 'contact.state': '状态',
  'contact.granted': '发放', 'contact.redeemed': '核销', 'contact.noRights': '没有权益。', 'contact.journey': '旅程',
  'contact.step': '当前步骤', 'contact.entered': '进入时间', 'contact.goal': '目标', 'contact.noJourneys': '没有进入过旅程。',
  'contact.template': '模板', 'contact.channel': '渠道', 'contact.history': '历史', 'contact.noTouches': '没有触达。',
  'contact.eventType': '事件类型', 'contact.amount': '金额', 'contact.noEvents': '没有事件。',
  'contact.removeTag': '移除标签 {tag}', 'contact.addTag': '添加标签', 'contact.tagAdded': '标签已添加。',
  'consent.yes': '同意', 'consent.no': '拒绝',
  'gender.male': '男', 'gender.female': '女', 'gender.unknown': '未知',
  'stage.new': '引入', 'stage.growing': '成长', 'stage.mature': '成熟', 'stage.dormant': '沉默', 'stage.churned': '流失',
  'grant.granted': '已发放', 'grant.redeemed': '已核销', 'grant.expired': '已过期',
  'run.ACTIVE': '进行中', 'run.SUSPENDED': '已挂起', 'run.COMPLETED': '已完成', 'run.EXTERNALLY_TERMINATED': '已退出', 'run.INTERNALLY_TERMINATED': '已终止',
  'kind.marketing': '营销', 'kind.transactional': '事务',
  'templates.title': '消息模板', 'templates.key': '键', 'templates.kind': '类型', 'templates.description': '说明',
  'templates.version': '当前版本', 'templates.updated': '更新时间', 'templates.none': '还没有模板。', 'templates.current': '当前',
  'templates.newVersion': '编辑新版本', 'templates.variants': '内容', 'templates.startFrom': '以此版本为底稿',
  'templates.addVariant': '添加渠道/语言', 'templates.removeVariant': '删除此项', 'templates.save': '保存为新版本',
  'templates.saved': '已保存为 v{version}。', 'templates.unchanged': '内容未变化，仍为 v{version}。',
  'templates.channel': '渠道', 'templates.locale': '语言', 'templates.subject': '邮件标题', 'templates.body': '正文',
  'templates.liquid': 'Liquid 语法，例如 {{ contact.name | default: "朋友" }}', 'templates.preview': '预览与测试发送',
  'templates.contactId': '客户 ID', 'templates.variables': '变量（JSON，可选）', 'templates.previewSubmit': '预览',
  'templates.testSend': '测试发送', 'templates.badJson': '变量不是有效的 JSON。', 'templates.rendered': '已渲染 v{version}（{locale}）。',
  'templates.sent': '已加入发送队列。', 'templates.emailFrame': '邮件预览', 'templates.textVersion': '纯文本版本',
  'templates.links': '链接', 'templates.versions': '版本历史',
};

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  'nav.journeys': 'Journeys', 'nav.contacts': 'Contacts', 'nav.templates': 'Templates',
  'shell.skip': 'Skip to content', 'shell.nav': 'Main navigation', 'shell.language': 'Switch language', 'shell.password': 'Change password',
  'shell.signOut': 'Sign out', 'shell.noPages': 'This role has no pages (integrations use API tokens).',
  'role.admin': 'admin', 'role.operator': 'operator', 'role.manager': 'manager', 'role.integration': 'integration',
  'common.add': 'Add', 'common.at': 'When', 'common.close': 'Close', 'common.more': 'Load more',
  'common.notAllowed': 'This role may not see this.', 'common.notFound': 'No such page', 'common.unsavedLeave': 'There are unsaved changes (kept as a local draft). Leave anyway?',
  'signIn.title': 'Sign in', 'signIn.email': 'Email', 'signIn.password': 'Password', 'signIn.submit': 'Sign in', 'signIn.busy': 'Signing in…',
  'signIn.wrong': 'Wrong email or password.', 'signIn.locked': 'Too many attempts: try again in {seconds} seconds.',
  'password.current': 'Current password', 'password.new': 'New password', 'password.again': 'New password again', 'password.hint': 'At least 12 characters',
  'password.mismatch': 'The new passwords differ.', 'password.changed': 'Password changed.', 'password.submit': 'Save',
  'state.active': 'active', 'state.paused': 'paused', 'state.suspended': 'suspended',
  'journeys.title': 'Journeys', 'journeys.name': 'Name', 'journeys.state': 'State', 'journeys.version': 'Latest version',
  'journeys.enteredTotal': 'Entered', 'journeys.entered7d': 'Entered, 7 days', 'journeys.runningNow': 'Running now', 'journeys.goals': 'Goal reached',
  'journeys.pause': 'Pause', 'journeys.activate': 'Activate', 'journeys.paused': 'Paused {key}', 'journeys.activated': 'Activated {key}',
  'journeys.none': 'No journeys yet.', 'journeys.new': 'New journey', 'journeys.fromSample': 'or start from a shipped journey', 'journeys.openSample': 'Open',
  'designer.newTitle': 'New journey', 'designer.copyOf': '{name} (copy)', 'designer.addStep': 'Add a step (after the selected element)', 'designer.actions': 'Designer actions', 'designer.validate': 'Validate', 'designer.deploy': 'Deploy',
  'designer.download': 'Download BPMN', 'designer.validating': 'Validating…', 'designer.valid': 'Valid: ready to deploy.',
  'designer.invalid': '{n} problems (marked on their elements); nothing was deployed.', 'designer.deploying': 'Deploying…',
  'designer.deployed': 'Deployed {key} as version {version}.', 'designer.unchanged': 'Unchanged: {key} stays at version {version}, no new version.',
  'designer.notDeployed': 'Not deployed: {n} problems (marked on their elements).', 'designer.problems': 'Problems',
  'designer.properties': 'Properties', 'designer.draftRestored': 'Restored the local draft saved {at}.', 'designer.discard': 'Discard draft',
  'designer.discardConfirm': 'Discard the local draft and reload?', 'designer.versions': 'Versions', 'designer.version': 'version {version}',
  'designer.migrate': 'Migrate running instances', 'designer.from': 'From version', 'designer.to': 'To version', 'designer.everyOlder': 'every older version',
  'designer.latest': 'the latest', 'designer.migrateSubmit': 'Migrate', 'designer.migrated': 'Migrated {n} instances to version {version}.',
  'designer.migratedFrom': 'from version {version}: {n}', 'designer.keys': 'Drag Siyu steps from the palette on the left; fill them in the properties panel on the right. Ctrl+Z undoes, Ctrl+Y redoes.',
  'version.diagram': 'Diagram of {key} version {version}', 'version.readOnly': 'read-only', 'version.edit': 'Open in the designer',
  'contacts.title': 'Contacts', 'contacts.searchBy': 'Search by', 'contacts.search': 'Search for', 'contacts.find': 'Find',
  'contacts.found': '{n} contacts', 'contacts.none': 'No contact matches.',
  'contacts.by.q': 'mobile, name, email or external_userid', 'contacts.by.mobile': 'mobile', 'contacts.by.name': 'name',
  'contacts.by.email': 'email', 'contacts.by.external_userid': 'external_userid',
  'contact.profile': 'Profile', 'contact.identities': 'Identities', 'contact.consent': 'Consent', 'contact.lifecycle': 'Lifecycle and RFM',
  'contact.tags': 'Tags', 'contact.tierGrowth': 'Tier and growth', 'contact.points': 'Points', 'contact.rights': 'Rights',
  'contact.journeys': 'Journeys', 'contact.touches': 'Touches', 'contact.events': 'Events',
  'contact.name': 'Name', 'contact.gender': 'Gender', 'contact.birthday': 'Birthday', 'contact.zone': 'Time zone', 'contact.locale': 'Language',
  'contact.owner': 'Owner', 'contact.source': 'Source', 'contact.firstSeen': 'First seen', 'contact.lastInteraction': 'Last interaction',
  'contact.lastPurchase': 'Last purchase', 'contact.purchases': 'Purchases', 'contact.spent': 'Spent (yuan)', 'contact.created': 'Created',
  'contact.mobile': 'Mobile', 'contact.email': 'Email', 'contact.noConsent': 'No consent recorded.', 'contact.stage': 'Lifecycle stage',
  'contact.rfm': 'RFM class', 'contact.tier': 'Tier', 'contact.tierSince': 'Tier since', 'contact.growth': 'Growth value',
  'contact.growthAdded': 'Growth', 'contact.event': 'Event', 'contact.noGrowth': 'No growth yet.', 'contact.lot': 'Lot left',
  'contact.expires': 'Expires', 'contact.noLots': 'No points to expire.', 'contact.kind': 'Kind', 'contact.pointsCol': 'Points',
  'contact.reason': 'Reason', 'contact.noLedger': 'No points moved.', 'contact.right': 'Right', 'contact.state': 'State',
  'contact.granted': 'Granted', 'contact.redeemed': 'Redeemed', 'contact.noRights': 'No rights.', 'contact.journey': 'Journey',
  'contact.step': 'Current step', 'contact.entered': 'Entered', 'contact.goal': 'Goal', 'contact.noJourneys': 'In no journey.',
  'contact.template': 'Template', 'contact.channel': 'Channel', 'contact.history': 'History', 'contact.noTouches': 'No touches.',
  'contact.eventType': 'Type', 'contact.amount': 'Amount', 'contact.noEvents': 'No events.',
  'contact.removeTag': 'Remove tag {tag}', 'contact.addTag': 'Add a tag', 'contact.tagAdded': 'Tag added.',
  'consent.yes': 'yes', 'consent.no': 'no',
  'gender.male': 'male', 'gender.female': 'female', 'gender.unknown': 'unknown',
  'stage.new': 'new', 'stage.growing': 'growing', 'stage.mature': 'mature', 'stage.dormant': 'dormant', 'stage.churned': 'churned',
  'grant.granted': 'granted', 'grant.redeemed': 'redeemed', 'grant.expired': 'expired',
  'run.ACTIVE': 'running', 'run.SUSPENDED': 'suspended', 'run.COMPLETED': 'completed', 'run.EXTERNALLY_TERMINATED': 'exited', 'run.INTERNALLY_TERMINATED': 'terminated',
  'kind.marketing': 'marketing', 'kind.transactional': 'transactional',
  'templates.title': 'Templates', 'templates.key': 'Key', 'templates.kind': 'Kind', 'templates.description': 'Description',
  'templates.version': 'Version', 'templates.updated': 'Updated', 'templates.none': 'No templates yet.', 'templates.current': 'current',
  'templates.newVersion': 'Edit a new version', 'templates.variants': 'Content', 'templates.startFrom': 'Start from version',
  'templates.addVariant': 'Add a channel or language', 'templates.removeVariant': 'Remove', 'templates.save': 'Save as a new version',
  'templates.saved': 'Saved as version {version}.', 'templates.unchanged': 'Unchanged: still version {version}.',
  'templates.channel': 'Channel', 'templates.locale': 'Language', 'templates.subject': 'Subject', 'templates.body': 'Body',
  'templates.liquid': 'Liquid, e.g. {{ contact.name | default: "friend" }}', 'templates.preview': 'Preview and test send',
  'templates.contactId': 'Contact id', 'templates.variables': 'Variables (JSON, optional)', 'templates.previewSubmit': 'Preview',
  'templates.testSend': 'Test send', 'templates.badJson': 'The variables are not valid JSON.', 'templates.rendered': 'Rendered version {version} ({locale}).',
  'templates.sent': 'Queued for sending.', 'templates.emailFrame': 'Email preview', 'templates.textVersion': 'Plain text',
  'templates.links': 'Links', 'templates.versions': 'Versions',
};

export type Lang = 'zh-CN' | 'en';
const STORE = 'siyu.lang';

export function lang(): Lang {
  return localStorage.getItem(STORE) === 'en' ? 'en' : 'zh-CN';
}

export function setLang(l: Lang): void {
  localStorage.setItem(STORE, l);
  applyLang();
}

/** The document's language, for screen readers and dates. */
export function applyLang(): void {
  document.documentElement.lang = lang();
}

export function t(key: string, vars: Record<string, string | number> = {}): string {
  const table: Record<string, string> = lang() === 'en' ? en : zh;
  const text = table[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
